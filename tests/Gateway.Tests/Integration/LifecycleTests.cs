using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

public class LifecycleTests
{
    [Theory]
    [InlineData("Smtp:Port", "70000", "Smtp:Port: must be between 0 and 65535")]
    [InlineData("Smtp:Port", "abc", "Smtp:Port")]
    [InlineData("Smtp:MaxRecipients", "0", "Smtp:MaxRecipients")]
    [InlineData("Smtp:RelayNetworks:0", "10.0.0.0/99", "Smtp:RelayNetworks: '10.0.0.0/99'")]
    [InlineData("Smtp:AcceptedDomains:0", "bad domain", "Smtp:AcceptedDomains: 'bad domain'")]
    [InlineData("Smtp:Tls:CertificatePath", "/nonexistent.pem", "Smtp:Tls: CertificatePath and KeyPath must be set together")]
    [InlineData("Smtp:BareLineFeed", "Sometimes", "Smtp:BareLineFeed")]
    [InlineData("Storage:Sync", "Fsync", "Storage:Sync")]
    public async Task A_bad_setting_stops_the_start_with_one_line_naming_the_key(string key, string value, string expected)
    {
        var (exitCode, output) = await GatewayProcess.RunToExitAsync(new Dictionary<string, string>
        {
            [key] = value,
            ["Storage:Root"] = Path.Combine(Path.GetTempPath(), "mailgw-bad-" + Guid.NewGuid().ToString("N")[..8]),
            ["Admin:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
        });
        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("mailgw: configuration error:"));
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Sigterm_lets_a_message_in_progress_finish_and_tells_idle_sessions_421()
    {
        // The grace must cover the gateway's first message (JIT of the whole chain, a sync of the inbox) on a loaded
        // machine; the tests' usual 5 s could abort it, and the test is about the finish, not the grace's length.
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:ShutdownGraceSeconds"] = "30",
        });
        await using var idle = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        RawSmtpClient.Expect(await idle.CommandAsync("EHLO idle.test"), 250);
        await using var busy = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await busy.BeginMessageAsync("a@sender.test", "inflight@example.org");
        await busy.SendAsync("Subject: in flight\r\n\r\nfirst half\r\n");

        var exit = gateway.TerminateAsync(TimeSpan.FromSeconds(60));
        var idleReply = await idle.ReadReplyAsync();
        Assert.Equal(421, idleReply.Code);
        Assert.Equal("4.3.2", idleReply.Enhanced);

        await busy.SendAsync("second half\r\n.\r\n");
        RawSmtpClient.Expect(await busy.ReadReplyAsync(), 250);
        Assert.Equal(421, (await busy.CommandAsync("NOOP")).Code);
        Assert.Equal(0, await exit);
        var stored = Assert.Single(gateway.StoredCopies("inflight@example.org"));
        Assert.EndsWith("first half\r\nsecond half\r\n", await File.ReadAllTextAsync(stored));
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_get_421_4_7_0()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:MaxConnectionsPerIp"] = "2",
        });
        // StartAsync's readiness probe was a connection from this address too, and its slot is given back only once
        // the gateway has seen it close: the first two clients wait for that, the third then meets a full limit.
        await using var first = await ConnectOnceASlotIsFreeAsync(gateway.SmtpPort, TimeSpan.FromSeconds(10));
        await using var second = await ConnectOnceASlotIsFreeAsync(gateway.SmtpPort, TimeSpan.FromSeconds(10));
        await using var third = await RawSmtpClient.ConnectAsync(gateway.SmtpPort, readGreeting: false);
        var refusal = await third.ReadReplyAsync();
        Assert.Equal(421, refusal.Code);
        Assert.Equal("4.7.0", refusal.Enhanced);
        Assert.True(await third.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(250, (await first.CommandAsync("NOOP")).Code);

        // The slot is given back once the gateway has seen the close, which a loaded machine may take a moment to do:
        // a fourth client is let in within seconds, never turned away for good.
        Assert.Equal(221, (await first.CommandAsync("QUIT")).Code);
        await first.DisposeAsync();
        await using var fourth = await ConnectOnceASlotIsFreeAsync(gateway.SmtpPort, TimeSpan.FromSeconds(10));
        Assert.Equal(250, (await fourth.CommandAsync("NOOP")).Code);
    }

    private static async Task<RawSmtpClient> ConnectOnceASlotIsFreeAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var client = await RawSmtpClient.ConnectAsync(port, readGreeting: false);
            var greeting = await client.ReadReplyAsync();
            if (greeting.Code == 220)
            {
                return client;
            }

            await client.DisposeAsync();
            Assert.Equal("4.7.0", greeting.Enhanced);
            Assert.True(DateTime.UtcNow < deadline, $"still refused after {timeout}: {greeting}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_silent_client_is_closed_with_421_after_the_command_timeout()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:CommandTimeoutSeconds"] = "1",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(421, reply.Code);
        Assert.Equal("4.4.2", reply.Enhanced);
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_message_that_stalls_is_dropped_with_421_after_the_data_timeout()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:DataTimeoutSeconds"] = "2",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("slow@sender.test", "slow@example.org");
        for (var i = 0; i < 3; i++)
        {
            // One byte at a time keeps the connection busy but never finishes: the total DATA time runs out. The last
            // byte goes at 1.4 s, before the 2 s limit: writes after the server's close would meet a reset.
            await client.SendAsync(Encoding.ASCII.GetBytes("x"));
            await Task.Delay(700);
        }

        var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(421, reply.Code);
        Assert.Empty(gateway.StoredCopies("slow@example.org"));
    }
}
