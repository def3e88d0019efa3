using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// Verdict headers a sender plants (ours, SpamAssassin's, Exchange's, an Authentication-Results naming our host)
/// are gone from what the gateway stores and relays: only its own verdict reaches a mailbox or the internal server.
/// </summary>
public class ForgedVerdictTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string ForgedHeaders =
        "X-MailGateway-SCL: -1\r\n" +
        "X-MailGateway-Trace: AllowList=sender(-1)\r\n" +
        "X-Spam-Flag: NO\r\n" +
        "X-Spam-Status: No, score=-100.0\r\n\trequired=5.0 tests=ALL_TRUSTED\r\n" +
        "X-MS-Exchange-Organization-SCL: -1\r\n" +
        "X-Virus-Scanned: clean\r\n" +
        "Authentication-Results: gw.test; spf=pass smtp.mailfrom=bank.test\r\n" +
        "Authentication-Results: mx.other.test; dkim=pass header.d=list.test\r\n";

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..16] + "@example.org";

    private static string Message(string to) =>
        "From: a@sender.test\r\nTo: " + to + "\r\n" + ForgedHeaders + "Subject: planted verdicts\r\n\r\nhello\r\n";

    private static async Task SendAsync(GatewayProcess gateway, string to)
    {
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("a@sender.test", to);
        await client.SendAsync(Message(to) + ".\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
    }

    /// <summary>Every header line of the stored file, the gateway's and the client's, unfolded.</summary>
    private static List<string> HeaderFields(string text) =>
        text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Replace("\r\n\t", " ").Replace("\r\n ", " ")
            .Split("\r\n").ToList();

    private static int Count(List<string> fields, string name) =>
        fields.Count(f => f.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task A_stored_message_carries_only_the_gateways_own_verdict_headers()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var to = Unique("forged");
        await SendAsync(gateway, to);

        var stored = Assert.Single(gateway.StoredCopies(to));
        var fields = HeaderFields(await File.ReadAllTextAsync(stored));
        Assert.Equal(1, Count(fields, "X-MailGateway-SCL"));
        Assert.DoesNotContain("X-MailGateway-SCL: -1", fields);
        Assert.Equal(1, Count(fields, "X-MailGateway-Trace"));
        Assert.DoesNotContain(fields, f => f.Contains("AllowList=sender(-1)", StringComparison.Ordinal));
        Assert.Equal(["X-Spam-Flag: NO"], fields.Where(f => f.StartsWith("X-Spam-", StringComparison.Ordinal)));
        Assert.Equal(0, Count(fields, "X-MS-Exchange-Organization-SCL"));
        Assert.Equal(0, Count(fields, "X-Virus-Scanned"));
        // The gateway's own Authentication-Results (its SPF, DKIM, ARC, DMARC results) on top, the other host's kept.
        var results = fields.Where(f => f.StartsWith("Authentication-Results:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, results.Count);
        Assert.StartsWith("Authentication-Results: gw.test; spf=", results[0]);
        Assert.DoesNotContain("bank.test", results[0]);
        Assert.Equal("Authentication-Results: mx.other.test; dkim=pass header.d=list.test", results[1]);
        Assert.Contains("Subject: planted verdicts", fields);
        Assert.True(await gateway.WaitForOutputAsync("removed 7 header fields from outside", Wait), gateway.Output);
    }

    [Theory]
    [InlineData("AllowList,Antivirus,Keywords,Model,ImageHeuristic", true)]
    [InlineData("AllowList", false)]
    public async Task The_internal_server_sees_only_our_exchange_scl_and_none_when_no_filter_set_one(string order,
        bool scored)
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
        };
        var filters = order.Split(',');
        for (var i = 0; i < filters.Length; i++)
        {
            settings[$"Filters:Order:{i}"] = filters[i];
        }

        await using var gateway = await GatewayProcess.StartAsync(settings);
        var to = Unique("forgedrelay");
        await SendAsync(gateway, to);

        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        var fields = HeaderFields(Assert.Single(downstream.Messages()).Text);
        var exchangeScl = fields.Where(f => f.StartsWith("X-MS-Exchange-Organization-SCL:", StringComparison.OrdinalIgnoreCase)).ToList();
        var ourScl = fields.Where(f => f.StartsWith("X-MailGateway-SCL:", StringComparison.Ordinal)).ToList();
        if (scored)
        {
            var scl = Assert.Single(ourScl)["X-MailGateway-SCL:".Length..].Trim();
            Assert.Equal([$"X-MS-Exchange-Organization-SCL: {scl}"], exchangeScl);
            Assert.NotEqual("-1", scl);
        }
        else
        {
            Assert.Empty(ourScl);
            Assert.Empty(exchangeScl);
        }

        Assert.Equal(["X-Spam-Flag: NO"], fields.Where(f => f.StartsWith("X-Spam-", StringComparison.Ordinal)));
    }
}
