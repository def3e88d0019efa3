using MailGateway.Gateway.Tests.Infrastructure;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary><c>Relay:Routes</c>: a recipient domain with a route goes to its own next hop, every other to the smart host.</summary>
public class RelayRoutesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string> Settings(DownstreamSmtp smartHost, DownstreamSmtp routed) => new()
    {
        ["Delivery:Mode"] = "Relay",
        // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
        ["Recipients:Verify"] = "None",
        ["Smtp:AcceptedDomains:0"] = "example.org",
        ["Smtp:AcceptedDomains:1"] = "example.net",
        ["Relay:SmartHost"] = smartHost.HostPort,
        // Written in another case than the recipients' domain: routes match domains case-insensitively.
        ["Relay:Routes:Example.NET"] = routed.HostPort,
        ["Relay:Tls"] = "None",
        ["Relay:RetrySchedule:0"] = "00:00:01",
    };

    private static MimeMessage ToBothDomains(string subject)
    {
        var message = TestMail.Text("a1@example.org", subject, "split by domain");
        message.To.Add(MailboxAddress.Parse("b1@example.net"));
        message.To.Add(MailboxAddress.Parse("a2@example.org"));
        message.To.Add(MailboxAddress.Parse("b2@example.net"));
        return message;
    }

    [Fact]
    public async Task One_message_to_two_domains_arrives_once_at_each_next_hop_with_only_its_own_recipients()
    {
        await using var smartHost = await DownstreamSmtp.StartAsync();
        await using var routed = await DownstreamSmtp.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(Settings(smartHost, routed));
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, ToBothDomains("two next hops"))).Code);

        // The entry leaves the queue only after both hops answered: nothing can arrive after this.
        Assert.True(await QueueFolder.WaitUntilEmptyAsync(gateway, Wait), gateway.Output);
        var atSmartHost = Assert.Single(smartHost.Messages());
        Assert.Equal(["a1@example.org", "a2@example.org"], atSmartHost.To);
        var atRouted = Assert.Single(routed.Messages());
        Assert.Equal(["b1@example.net", "b2@example.net"], atRouted.To);
        Assert.Contains("Subject: two next hops", atSmartHost.Text);
        Assert.Contains("Subject: two next hops", atRouted.Text);
    }

    [Fact]
    public async Task A_routed_next_hop_that_is_down_delays_only_its_own_recipients()
    {
        await using var smartHost = await DownstreamSmtp.StartAsync();
        await using var routed = await DownstreamSmtp.StartAsync();
        await routed.StopAsync();
        await using var gateway = await GatewayProcess.StartAsync(Settings(smartHost, routed));
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, ToBothDomains("one hop down"))).Code);

        Assert.True(await smartHost.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        Assert.Equal(["a1@example.org", "a2@example.org"], Assert.Single(smartHost.Messages()).To);
        // What is left in the queue: the routed hop only, with its recipients, after a failed attempt.
        Assert.True(await QueueFolder.WaitForStatesAsync(gateway, states => states.Count == 1
            && states[0].GetProperty("hops").GetArrayLength() == 1
            && states[0].GetProperty("hops")[0].GetProperty("attempts").GetInt32() >= 1, Wait), gateway.Output);
        var hop = QueueFolder.States(gateway)[0].GetProperty("hops")[0];
        Assert.Equal(routed.HostPort, hop.GetProperty("nextHop").GetString());
        Assert.Equal(["b1@example.net", "b2@example.net"],
            hop.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()!).ToList());

        await routed.StartAgainAsync();
        Assert.True(await QueueFolder.WaitUntilEmptyAsync(gateway, Wait), gateway.Output);
        Assert.Equal(["b1@example.net", "b2@example.net"], Assert.Single(routed.Messages()).To);
        Assert.Single(smartHost.Messages());
    }
}
