using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

[Collection(SharedGatewayCollection.Name)]
public class SmugglingTests(SharedGateway shared)
{
    public static TheoryData<string> FakeEnds => new()
    {
        "\n.\n", "\r.\r", "\n.\r\n", "\r\n.\r", "\r\n.\n", "\r.\r\n", "\n.\r", "\r\n.\r\r\n",
    };

    [Theory]
    [MemberData(nameof(FakeEnds))]
    public async Task A_smuggled_second_message_is_never_delivered(string fakeEnd)
    {
        var gateway = shared.Gateway;
        var id = Guid.NewGuid().ToString("N")[..10];
        var to = $"smug-{id}@example.org";
        var victim = $"victim-{id}@example.org";
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("sender@sender.test", to);
        var payload = $"Subject: first\r\n\r\nfirst body{fakeEnd}MAIL FROM:<admin@example.org>\r\nRCPT TO:<{victim}>\r\n" +
                      $"DATA\r\nSubject: smuggled\r\n\r\nsmuggled body\r\n.\r\n";
        await client.SendAsync(Encoding.Latin1.GetBytes(payload));
        var reply = await client.ReadReplyAsync();
        Assert.Equal(250, reply.Code);
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);

        Assert.Empty(gateway.StoredCopies(victim));
        var stored = Assert.Single(gateway.StoredCopies(to));
        var text = await File.ReadAllTextAsync(stored);
        Assert.Contains("Subject: smuggled", text);
        Assert.DoesNotContain("\n.\n", text.Replace("\r\n", "\u0001"));
    }

    [Fact]
    public async Task Under_reject_a_bare_lf_is_refused_with_550_5_5_2_and_nothing_is_stored()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:BareLineFeed"] = "Reject",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("sender@sender.test", "bob@example.org");
        await client.SendAsync("Subject: x\r\n\r\nline\n.\nMAIL FROM:<x@y.test>\r\n.\r\n");
        var reply = await client.ReadReplyAsync();
        Assert.Equal(550, reply.Code);
        Assert.Equal("5.5.2", reply.Enhanced);
        Assert.Contains("bare <LF> received", reply.Text);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Empty(gateway.AllStoredMessages());

        // A clean message in the same session is still accepted.
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<sender@sender.test>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("RCPT TO:<bob@example.org>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
        await client.SendAsync("Subject: clean\r\n\r\nok\r\n.\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Single(gateway.StoredCopies("bob@example.org"));
    }
}
