using System.Net;
using System.Net.Sockets;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>Sender authentication with settings of their own: a silent DNS server, our accepted domains in From, stages off.</summary>
public class SenderAuthenticationSettingsTests
{
    [Fact]
    public async Task A_dns_server_that_does_not_answer_gives_temperror_and_the_message_is_delivered()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var settings = SenderAuthenticationTests.Settings($"127.0.0.1:{port}");
        settings["Dns:TimeoutMilliseconds"] = "300";
        settings["Dns:Retries"] = "0";
        await using var gateway = await GatewayProcess.StartAsync(settings);

        var started = DateTime.UtcNow;
        var result = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.3", "a@reject.test",
            SenderAuthenticationTests.Plain("a@reject.test"));
        Assert.Equal(250, result.Reply.Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
        Assert.Contains("spf=temperror", result.Results);
        Assert.Contains("dmarc=temperror", result.Results);
        Assert.Equal("inbox", result.Folder);
    }

    [Theory]
    [InlineData("Quarantine", 250)]
    [InlineData("Reject", 550)]
    public async Task Mail_from_outside_claiming_an_accepted_domain_without_passing_gets_the_protect_action(string action, int code)
    {
        await using var dns = await DnsServer.StartAsync([], [("spf.test", "v=spf1 ip4:127.0.0.2 -all")]);
        var settings = SenderAuthenticationTests.Settings(dns.Endpoint);
        settings["Smtp:AcceptedDomains:0"] = "corp.test";
        settings["Dmarc:ProtectAcceptedDomains"] = "true";
        settings["Dmarc:ProtectAction"] = action;
        await using var gateway = await GatewayProcess.StartAsync(settings);

        var result = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.2", "someone@spf.test",
            SenderAuthenticationTests.Plain("ceo@corp.test"), "bob@corp.test");
        Assert.Equal(code, result.Reply.Code);
        if (code == 250)
        {
            Assert.Equal("junk", result.Folder);
            Assert.Contains("dmarc=none", result.Results);
        }

        // Without the protection the same message goes to the inbox.
        settings["Dmarc:ProtectAcceptedDomains"] = "false";
        await using var open = await GatewayProcess.StartAsync(settings);
        var unprotected = await SenderAuthenticationTests.DeliverAsync(open, "127.0.0.2", "someone@spf.test",
            SenderAuthenticationTests.Plain("ceo@corp.test"), "bob@corp.test");
        Assert.Equal("inbox", unprotected.Folder);
    }

    [Fact]
    public async Task Mail_from_the_relay_networks_is_not_checked_and_the_same_message_from_outside_is()
    {
        await using var dns = await DnsServer.StartAsync([],
            [("reject.test", "v=spf1 ip4:127.0.0.2 -all"), ("_dmarc.reject.test", "v=DMARC1; p=reject")]);
        var settings = SenderAuthenticationTests.Settings(dns.Endpoint);
        settings["Smtp:RelayNetworks:0"] = "127.0.0.4/32";
        await using var gateway = await GatewayProcess.StartAsync(settings);

        // From inside: SPF would fail and DMARC reject, but none of the four stages runs.
        var inside = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.4", "a@reject.test",
            SenderAuthenticationTests.Plain("a@reject.test"));
        Assert.Equal(250, inside.Reply.Code);
        Assert.Equal("inbox", inside.Folder);
        Assert.Null(inside.Results);
        foreach (var stage in new[] { "Spf", "Dkim", "Arc", "Dmarc" })
        {
            Assert.Contains($"{stage}=skipped-internal[", inside.Trace);
        }

        // From outside the relay networks the same message is checked, and refused.
        var outside = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.3", "a@reject.test",
            SenderAuthenticationTests.Plain("a@reject.test"));
        Assert.Equal(550, outside.Reply.Code);
        Assert.Equal("5.7.1", outside.Reply.Enhanced);
    }

    [Fact]
    public async Task Stages_switched_off_write_no_authentication_results()
    {
        await using var dns = await DnsServer.StartAsync([], [("spf.test", "v=spf1 ip4:127.0.0.2 -all")]);
        var settings = SenderAuthenticationTests.Settings(dns.Endpoint);
        settings["Spf:Enabled"] = "false";
        settings["Dkim:Enabled"] = "false";
        settings["Arc:Enabled"] = "false";
        settings["Dmarc:Enabled"] = "false";
        await using var gateway = await GatewayProcess.StartAsync(settings);
        var result = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.3", "a@spf.test",
            SenderAuthenticationTests.Plain("a@spf.test"));
        Assert.Equal(250, result.Reply.Code);
        Assert.Null(result.Results);
    }

    [Fact]
    public async Task An_allow_listed_sender_is_trusted_only_with_an_aligned_spf_pass()
    {
        await using var dns = await DnsServer.StartAsync([], [("supplier.test", "v=spf1 ip4:127.0.0.2 -all")]);
        var dir = Directory.CreateTempSubdirectory("mailgw-allow-");
        var allowList = Path.Combine(dir.FullName, "allowlist.json");
        await File.WriteAllTextAsync(allowList, """{ "allow": { "senders": ["invoices@supplier.test"] } }""");
        var settings = SenderAuthenticationTests.Settings(dns.Endpoint);
        settings["Filters:Order:3"] = "AllowList";
        settings["Filters:Order:4"] = "Dmarc";
        settings["AllowList:Path"] = allowList;
        await using var gateway = await GatewayProcess.StartAsync(settings);

        var real = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.2", "invoices@supplier.test",
            SenderAuthenticationTests.Plain("invoices@supplier.test"));
        Assert.Contains("AllowList=allowed:SenderAddress:mailfrom(spf:supplier.test)", real.Trace);

        // The same addresses from a client SPF does not allow: the rule does not match, the message is not trusted.
        var forged = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.3", "invoices@supplier.test",
            SenderAuthenticationTests.Plain("invoices@supplier.test"));
        Assert.Contains("AllowList=none", forged.Trace);
        Assert.DoesNotContain("(none->-1)", forged.Trace);
        dir.Delete(true);
    }
}
