using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// The checks at RCPT against real peers: DNS lists served by a real DNS server on loopback (clients connect from
/// 127.0.0.2 to be listed), recipient verification from a list file and by a callout to a real downstream server.
/// </summary>
public class RecipientPolicyTests
{
    private static readonly (string, string)[] ListedRecords =
    [
        ("2.0.0.127.bl.test", "127.0.0.2"),
        ("2.0.0.127.half.test", "127.0.0.2"),
        ("2.0.0.127.other-half.test", "127.0.0.2"),
        ("2.0.0.127.codes.test", "127.0.0.10"),
        ("2.0.0.127.wl.test", "127.0.0.2"),
        ("2.0.0.127.rewrites.test", "192.0.2.1"),
    ];

    private static async Task<RawSmtpClient.Reply> RcptFromAsync(GatewayProcess gateway, string clientAddress, string to)
    {
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort, localAddress: clientAddress);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<someone@sender.test>"), 250);
        return await client.CommandAsync($"RCPT TO:<{to}>");
    }

    private static Dictionary<string, string> Lists(DnsServer dns, params (string Zone, double Weight, string? Code)[] zones)
    {
        var settings = new Dictionary<string, string> { ["Dns:Servers:0"] = dns.Endpoint };
        for (var i = 0; i < zones.Length; i++)
        {
            settings[$"Dnsbl:Zones:{i}:Zone"] = zones[i].Zone;
            settings[$"Dnsbl:Zones:{i}:Weight"] = zones[i].Weight.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (zones[i].Code is { } code)
            {
                settings[$"Dnsbl:Zones:{i}:ReturnCodes:0"] = code;
            }
        }

        return settings;
    }

    [Fact]
    public async Task A_listed_client_is_refused_at_rcpt_with_554_5_7_1_naming_the_zone_and_others_are_not()
    {
        await using var dns = await DnsServer.StartAsync(ListedRecords);
        await using var gateway = await GatewayProcess.StartAsync(Lists(dns, ("bl.test", 1, null)));

        var listed = await RcptFromAsync(gateway, "127.0.0.2", "bob@example.org");
        Assert.Equal(554, listed.Code);
        Assert.Equal("5.7.1", listed.Enhanced);
        Assert.Contains("client [127.0.0.2] blocked using bl.test", listed.Text);
        Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.1", "bob@example.org")).Code);
    }

    [Fact]
    public async Task Weights_add_up_return_codes_filter_and_an_allow_list_takes_weight_off()
    {
        await using var dns = await DnsServer.StartAsync(ListedRecords);
        // codes.test answers 127.0.0.10, which its ReturnCodes do not count; rewrites.test answers outside 127/8.
        await using (var gateway = await GatewayProcess.StartAsync(Lists(dns, ("half.test", 0.5, null),
                         ("codes.test", 1, "127.0.0.2"), ("rewrites.test", 1, null))))
        {
            Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.2", "bob@example.org")).Code);
        }

        await using (var gateway = await GatewayProcess.StartAsync(Lists(dns, ("half.test", 0.5, null),
                         ("other-half.test", 0.5, null))))
        {
            Assert.Equal(554, (await RcptFromAsync(gateway, "127.0.0.2", "bob@example.org")).Code);
        }

        var allowed = Lists(dns, ("bl.test", 1, null));
        allowed["Dnswl:Zones:0:Zone"] = "wl.test";
        allowed["Dnswl:Zones:0:Weight"] = "1";
        await using (var gateway = await GatewayProcess.StartAsync(allowed))
        {
            Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.2", "bob@example.org")).Code);
        }
    }

    [Fact]
    public async Task A_client_listed_below_the_reject_weight_is_accepted_and_its_scl_raised_by_weight_times_scl_weight()
    {
        await using var dns = await DnsServer.StartAsync(ListedRecords);
        var settings = Lists(dns, ("half.test", 0.5, null), ("bl.test", 1, null));
        settings["Dnsbl:RejectWeight"] = "5";
        settings["Dnsbl:SclWeight"] = "2";
        await using var gateway = await GatewayProcess.StartAsync(settings);
        var message = SenderAuthenticationTests.Plain("someone@sender.test");

        var listed = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.2", "someone@sender.test", message);
        Assert.Equal(250, listed.Reply.Code);
        // 1.5 x 2 = 3 points, named by the heaviest zone first.
        Assert.Contains("Dnsbl=listed_bl.test,half.test_weight_1.5:_SCL_+3", listed.Trace?.Replace(' ', '_'));
        using var http = new HttpClient();
        var metrics = "";
        for (var i = 0; i < 20 && !metrics.Contains("mailgateway_dnsbl_scored_total"); i++)
        {
            await Task.Delay(500);
            metrics = await http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/metrics");
        }

        Assert.Matches(@"mailgateway_dnsbl_scored_total\{[^}]*zone=""bl.test""[^}]*\} 1", metrics);

        var clean = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.1", "someone@sender.test", message);
        Assert.Contains("Dnsbl=not-listed", clean.Trace);
    }

    [Fact]
    public async Task Relay_networks_are_not_looked_up()
    {
        await using var dns = await DnsServer.StartAsync(ListedRecords);
        var settings = Lists(dns, ("bl.test", 1, null));
        settings["Smtp:RelayNetworks:0"] = "127.0.0.2/32";
        await using var gateway = await GatewayProcess.StartAsync(settings);
        Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.2", "bob@example.org")).Code);

        // Nor scored after DATA: the Dnsbl stage reads the envelope's FromInternalClient, as the sender checks do.
        var delivered = await SenderAuthenticationTests.DeliverAsync(gateway, "127.0.0.2", "someone@sender.test",
            SenderAuthenticationTests.Plain("someone@sender.test"));
        Assert.Contains("Dnsbl=skipped-internal[", delivered.Trace);
        Assert.Contains("Spf=skipped-internal[", delivered.Trace);
    }

    [Fact]
    public async Task A_dns_server_that_does_not_answer_never_refuses_mail()
    {
        // A UDP socket that reads nothing: every query times out.
        using var silent = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)silent.Client.LocalEndPoint!).Port;
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Dns:Servers:0"] = $"127.0.0.1:{port}",
            ["Dns:TimeoutMilliseconds"] = "300",
            ["Dns:Retries"] = "0",
            ["Dnsbl:Zones:0:Zone"] = "bl.test",
        });

        var started = DateTime.UtcNow;
        Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.2", "bob@example.org")).Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.True(await gateway.WaitForOutputAsync("did not answer for 127.0.0.2", TimeSpan.FromSeconds(10)), gateway.Output);
    }

    [Theory]
    [InlineData("Dnsbl:Zones:0:ReturnCodes:0", "10.0.0.2", "Dnsbl:Zones: bl.test: return code '10.0.0.2'")]
    [InlineData("Dns:Servers:0", "not-an-endpoint", "Dns:Servers: 'not-an-endpoint'")]
    [InlineData("Recipients:Verify", "Callout", "Recipients:Verify: Callout needs Delivery:Mode=Relay")]
    public async Task A_bad_sender_defence_setting_stops_the_start_naming_the_key(string key, string value, string message)
    {
        var (code, output) = await GatewayProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["Dnsbl:Zones:0:Zone"] = "bl.test",
            [key] = value,
        });
        Assert.NotEqual(0, code);
        Assert.Contains("mailgw: configuration error: " + message, output);
    }

    [Fact]
    public async Task Verify_list_refuses_unknown_recipients_with_550_5_1_1_and_follows_edits()
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-recipients-");
        var list = Path.Combine(dir.FullName, "recipients.txt");
        await File.WriteAllTextAsync(list, "# who exists\nbob@example.org\n@example.net\n");
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Recipients:Verify"] = "List",
            ["Recipients:ListPath"] = list,
            ["Smtp:AcceptedDomains:0"] = "example.org",
            ["Smtp:AcceptedDomains:1"] = "example.net",
        });

        Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.1", "Bob@Example.org")).Code);
        Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.1", "anyone@example.net")).Code);
        var unknown = await RcptFromAsync(gateway, "127.0.0.1", "alice@example.org");
        Assert.Equal(550, unknown.Code);
        Assert.Equal("5.1.1", unknown.Enhanced);

        await File.WriteAllTextAsync(list, "bob@example.org\nalice@example.org\n");
        Assert.True(await gateway.WaitForOutputAsync("Recipients: reloaded", TimeSpan.FromSeconds(20)), gateway.Output);
        Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.1", "alice@example.org")).Code);
        Assert.Equal(550, (await RcptFromAsync(gateway, "127.0.0.1", "anyone@example.net")).Code);
        dir.Delete(true);
    }

    [Fact]
    public async Task Callout_refuses_unknown_users_at_rcpt_defers_when_the_next_hop_is_down_and_never_bounces()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        downstream.KnowOnly("bob@example.org", "carol@example.org");
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            ["Relay:RetrySchedule:0"] = "00:00:01",
        });

        await using (var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort))
        {
            RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
            RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<forged@victim.test>"), 250);
            var unknown = await client.CommandAsync("RCPT TO:<nobody@example.org>");
            Assert.Equal(550, unknown.Code);
            Assert.Equal("5.1.1", unknown.Enhanced);
            RawSmtpClient.Expect(await client.CommandAsync("RCPT TO:<bob@example.org>"), 250);
            RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
            await client.SendAsync("Subject: verified\r\n\r\nhello\r\n.\r\n");
            RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
        }

        Assert.True(await downstream.WaitForAsync(m => m.Count >= 1, TimeSpan.FromSeconds(60)), gateway.Output);
        var delivered = Assert.Single(downstream.Messages());
        Assert.Equal(["bob@example.org"], delivered.To);
        Assert.Equal("forged@victim.test", delivered.From);

        // Down: an address never asked before gets 450 4.1.1, and one verified before is still known from the cache.
        await downstream.StopAsync();
        var down = await RcptFromAsync(gateway, "127.0.0.1", "carol@example.org");
        Assert.Equal(450, down.Code);
        Assert.Equal("4.1.1", down.Enhanced);
        Assert.Equal(250, (await RcptFromAsync(gateway, "127.0.0.1", "bob@example.org")).Code);
        Assert.Equal(550, (await RcptFromAsync(gateway, "127.0.0.1", "nobody@example.org")).Code);

        // No DSN to the forged sender, ever: the only message the next hop got is the one to bob.
        await downstream.StartAgainAsync();
        await Task.Delay(3000);
        Assert.Single(downstream.Messages());
        Assert.DoesNotContain("Bounced", gateway.Output);
    }
}
