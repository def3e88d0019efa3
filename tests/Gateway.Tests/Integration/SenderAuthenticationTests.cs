using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// SPF, DKIM, ARC and DMARC against a real gateway and a real DNS server (dnsmasq on loopback): clients connect from
/// 127.0.0.2 (allowed by the SPF records) or 127.0.0.3 (not), DKIM keys are made in the test and published as TXT,
/// messages are signed with MimeKit's DkimSigner and tampered with on the way. The chain runs only the
/// authentication stages, so a message's folder says what DMARC did.
/// </summary>
public class SenderAuthenticationTests(SenderAuthenticationTests.Zones zones) : IClassFixture<SenderAuthenticationTests.Zones>
{
    private const string To = "bob@example.org";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>One DNS server and one gateway for the tests that share the standard records and settings.</summary>
    public sealed class Zones : IAsyncLifetime
    {
        public DkimTestKey SignKey { get; } = new("sign.test", "sel");

        public DkimTestKey OtherKey { get; } = new("sign.test", "other");

        public string SuffixList { get; } = Path.Combine(Path.GetTempPath(), $"mailgw-psl-{Guid.NewGuid():N}.dat");

        public DnsServer Dns { get; private set; } = null!;

        public GatewayProcess Gateway { get; private set; } = null!;

        public IEnumerable<(string, string)> Texts()
        {
            yield return ("spf.test", "v=spf1 ip4:127.0.0.2 -all");
            yield return ("soft.test", "v=spf1 ip4:127.0.0.2 ~all");
            // 11 DNS-querying terms: the 11th is over RFC 7208's limit of 10, before -all is reached.
            yield return ("many.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"a:h{i}.many.test")) + " ip4:127.0.0.2 -all");
            yield return ("ten.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 10).Select(i => $"a:h{i}.many.test")) + " ip4:127.0.0.2 -all");
            // Three names that do not exist: the third void lookup is a permerror even though ip4 would pass.
            yield return ("void.test", "v=spf1 a:v1.void.test a:v2.void.test a:v3.void.test ip4:127.0.0.2 -all");
            yield return ("bad.test", "v=spf1 ip4:127.0.0.300 -all");
            yield return ("incl.test", "v=spf1 include:spf.test -all");
            yield return ("reject.test", "v=spf1 ip4:127.0.0.2 -all");
            yield return ("_dmarc.reject.test", "v=DMARC1; p=reject");
            yield return ("quarantine.test", "v=spf1 ip4:127.0.0.2 -all");
            yield return ("_dmarc.quarantine.test", "v=DMARC1; p=quarantine");
            yield return ("none.test", "v=spf1 ip4:127.0.0.2 -all");
            yield return ("_dmarc.none.test", "v=DMARC1; p=none");
            yield return ("baddmarc.test", "v=spf1 ip4:127.0.0.2 -all");
            yield return ("_dmarc.baddmarc.test", "v=DMARC1; p=bogus");
            yield return ("sign.test", "v=spf1 -all");
            yield return ("_dmarc.sign.test", "v=DMARC1; p=reject");
            yield return SignKey.Record;
            yield return OtherKey.Record;
            yield return ("bad._domainkey.sign.test", "v=DKIM1; k=rsa; p=bm90IGEga2V5IGF0IGFsbA==");
            // Organisational domain: with the test's suffix list (co.test is a public suffix) news.shop.co.test
            // belongs to shop.co.test, whose sp= applies to it.
            yield return ("shop.co.test", "v=spf1 ip4:127.0.0.2 -all");
            yield return ("_dmarc.shop.co.test", "v=DMARC1; p=none; sp=reject");
        }

        public async Task InitializeAsync()
        {
            await File.WriteAllTextAsync(SuffixList, "// test suffixes\ntest\nco.test\n");
            Dns = await DnsServer.StartAsync(Enumerable.Range(1, 11).Select(i => ($"h{i}.many.test", $"10.0.0.{i}")), Texts());
            Gateway = await GatewayProcess.StartAsync(Settings(Dns.Endpoint, SuffixList));
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Dns.DisposeAsync();
            File.Delete(SuffixList);
        }
    }

    public static Dictionary<string, string> Settings(string dns, string? suffixList = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Dns:Servers:0"] = dns,
            ["Filters:Order:0"] = "Spf",
            ["Filters:Order:1"] = "Dkim",
            ["Filters:Order:2"] = "Arc",
            ["Filters:Order:3"] = "Dmarc",
        };
        if (suffixList is not null)
        {
            settings["Dmarc:PublicSuffixList"] = suffixList;
        }

        return settings;
    }

    public static byte[] Plain(string from, string subject = "Invoice", string body = "Hello, here is the invoice.") =>
        Encoding.ASCII.GetBytes($"From: <{from}>\r\nTo: <{To}>\r\nSubject: {subject}\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n" +
                                $"Message-ID: <{Guid.NewGuid():N}@test>\r\n\r\n{body}\r\n");

    public static MimeMessage Signable(string from, string body = "Hello, here is the invoice.")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(To));
        message.Subject = "Invoice";
        message.Date = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        message.MessageId = $"{Guid.NewGuid():N}@test";
        message.Body = new TextPart("plain") { Text = body + "\r\n" };
        return message;
    }

    public static async Task<RawSmtpClient.Reply> SendAsync(GatewayProcess gateway, string client, string mailFrom,
        byte[] message, string to = To)
    {
        await using var smtp = await RawSmtpClient.ConnectAsync(gateway.SmtpPort, localAddress: client);
        RawSmtpClient.Expect(await smtp.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await smtp.CommandAsync($"MAIL FROM:<{mailFrom}>"), 250);
        RawSmtpClient.Expect(await smtp.CommandAsync($"RCPT TO:<{to}>"), 250);
        RawSmtpClient.Expect(await smtp.CommandAsync("DATA"), 354);
        await smtp.SendAsync(WireFormat.Stuff(WireFormat.NormalizeLineEnds(message)));
        return await smtp.ReadReplyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Sends a message with a unique subject and returns the gateway's Authentication-Results of its stored copy.</summary>
    private async Task<(RawSmtpClient.Reply Reply, string? Results, string? Folder, string? Trace)> DeliverAsync(string client, string mailFrom,
        byte[] message) => await DeliverAsync(zones.Gateway, client, mailFrom, message);

    public static async Task<(RawSmtpClient.Reply Reply, string? Results, string? Folder, string? Trace)> DeliverAsync(GatewayProcess gateway,
        string client, string mailFrom, byte[] message, string to = To)
    {
        var marker = Guid.NewGuid().ToString("N");
        var text = Encoding.ASCII.GetString(message);
        // A header the signatures don't cover tells this message's stored copy from the others'.
        message = Encoding.ASCII.GetBytes("X-Test-Id: " + marker + "\r\n" + text);
        var reply = await SendAsync(gateway, client, mailFrom, message, to);
        if (reply.Code != 250)
        {
            return (reply, null, null, null);
        }

        foreach (var folder in new[] { "", ".Junk" })
        {
            foreach (var file in gateway.Messages(to, folder))
            {
                var lines = File.ReadLines(file).TakeWhile(l => l.Length > 0).ToList();
                if (lines.Any(l => l.Contains(marker)))
                {
                    var fields = Unfold(lines).ToList();
                    return (reply, fields.FirstOrDefault(l => l.StartsWith("Authentication-Results: gw.test;")),
                        folder.Length == 0 ? "inbox" : "junk", fields.FirstOrDefault(l => l.StartsWith("X-MailGateway-Trace:")));
                }
            }
        }

        throw new Xunit.Sdk.XunitException($"stored copy of {marker} not found:\n{gateway.Output}");
    }

    private static IEnumerable<string> Unfold(List<string> lines)
    {
        var current = "";
        foreach (var line in lines)
        {
            if (line.StartsWith(' ') || line.StartsWith('\t'))
            {
                current += line;
                continue;
            }

            if (current.Length > 0)
            {
                yield return current;
            }

            current = line;
        }

        if (current.Length > 0)
        {
            yield return current;
        }
    }

    [Fact]
    public async Task Spf_passes_from_an_allowed_address_and_fails_from_another()
    {
        var pass = await DeliverAsync("127.0.0.2", "someone@spf.test", Plain("someone@spf.test"));
        Assert.Contains("spf=pass smtp.mailfrom=someone@spf.test", pass.Results);
        var fail = await DeliverAsync("127.0.0.3", "someone@spf.test", Plain("someone@spf.test"));
        Assert.Contains("spf=fail smtp.mailfrom=someone@spf.test", fail.Results);
        var soft = await DeliverAsync("127.0.0.3", "someone@soft.test", Plain("someone@soft.test"));
        Assert.Contains("spf=softfail", soft.Results);
        var include = await DeliverAsync("127.0.0.2", "someone@incl.test", Plain("someone@incl.test"));
        Assert.Contains("spf=pass smtp.mailfrom=someone@incl.test", include.Results);
        var none = await DeliverAsync("127.0.0.2", "someone@nothing.test", Plain("someone@nothing.test"));
        Assert.Contains("spf=none", none.Results);
    }

    [Fact]
    public async Task Spf_counts_ten_dns_terms_and_two_void_lookups_and_a_malformed_record_is_permerror()
    {
        Assert.Contains("spf=pass", (await DeliverAsync("127.0.0.2", "a@ten.test", Plain("a@ten.test"))).Results);
        Assert.Contains("spf=permerror", (await DeliverAsync("127.0.0.2", "a@many.test", Plain("a@many.test"))).Results);
        Assert.Contains("spf=permerror", (await DeliverAsync("127.0.0.2", "a@void.test", Plain("a@void.test"))).Results);
        Assert.Contains("spf=permerror", (await DeliverAsync("127.0.0.2", "a@bad.test", Plain("a@bad.test"))).Results);
    }

    [Fact]
    public async Task Spf_checks_the_helo_name_for_the_null_sender()
    {
        await using var smtp = await RawSmtpClient.ConnectAsync(zones.Gateway.SmtpPort, localAddress: "127.0.0.2");
        RawSmtpClient.Expect(await smtp.CommandAsync("EHLO spf.test"), 250);
        RawSmtpClient.Expect(await smtp.CommandAsync("MAIL FROM:<>"), 250);
        RawSmtpClient.Expect(await smtp.CommandAsync($"RCPT TO:<{To}>"), 250);
        RawSmtpClient.Expect(await smtp.CommandAsync("DATA"), 354);
        var marker = Guid.NewGuid().ToString("N");
        await smtp.SendAsync(WireFormat.Stuff(WireFormat.NormalizeLineEnds(Plain("daemon@spf.test", marker))));
        Assert.Equal(250, (await smtp.ReadReplyAsync()).Code);
        var stored = zones.Gateway.Messages(To).Select(File.ReadAllText).Single(t => t.Contains(marker));
        Assert.Contains("spf=pass smtp.helo=spf.test", stored);
    }

    [Fact]
    public async Task Dkim_signed_message_passes_and_tampered_body_or_header_fails_and_is_refused_by_p_reject()
    {
        var message = Signable("billing@sign.test");
        zones.SignKey.Sign(message);
        var bytes = DkimTestKey.Bytes(message);

        // SPF fails (sign.test: -all), the aligned DKIM pass carries DMARC.
        var signed = await DeliverAsync("127.0.0.3", "billing@sign.test", bytes);
        Assert.Equal(250, signed.Reply.Code);
        Assert.Contains("dkim=pass header.d=sign.test header.s=sel", signed.Results);
        Assert.Contains("dmarc=pass", signed.Results);
        Assert.Equal("inbox", signed.Folder);

        var text = Encoding.ASCII.GetString(bytes);
        var body = await SendAsync(zones.Gateway, "127.0.0.3", "billing@sign.test",
            Encoding.ASCII.GetBytes(text.Replace("here is the invoice", "here is the 1nvoice")));
        Assert.Equal(550, body.Code);
        Assert.Equal("5.7.1", body.Enhanced);
        var header = await SendAsync(zones.Gateway, "127.0.0.3", "billing@sign.test",
            Encoding.ASCII.GetBytes(text.Replace("Subject: Invoice", "Subject: Invoices")));
        Assert.Equal(550, header.Code);
        Assert.True(await zones.Gateway.WaitForOutputAsync("DKIM fail", Wait), zones.Gateway.Output);
    }

    [Fact]
    public async Task Tampered_dkim_signature_is_recorded_as_fail_when_spf_still_passes()
    {
        var message = Signable("billing@reject.test");
        zones.SignKey.Sign(message);
        var text = Encoding.ASCII.GetString(DkimTestKey.Bytes(message)).Replace("here is the invoice", "send the money");
        var result = await DeliverAsync("127.0.0.2", "billing@reject.test", Encoding.ASCII.GetBytes(text));
        Assert.Equal(250, result.Reply.Code);
        Assert.Contains("dkim=fail header.d=sign.test header.s=sel", result.Results);
        Assert.Contains("spf=pass", result.Results);
        Assert.Contains("dmarc=pass", result.Results);
    }

    [Fact]
    public async Task A_dkim_key_that_is_not_a_key_is_permerror_and_a_missing_key_too()
    {
        var message = Signable("billing@spf.test");
        // Signed for sign.test with selector "bad", whose TXT record holds no key; and with "missing", which has none.
        var bad = new DkimTestKey("sign.test", "bad");
        bad.Sign(message);
        var missing = new DkimTestKey("sign.test", "missing");
        missing.Sign(message);
        var result = await DeliverAsync("127.0.0.2", "billing@spf.test", DkimTestKey.Bytes(message));
        Assert.Equal(250, result.Reply.Code);
        Assert.Contains("dkim=permerror header.d=sign.test header.s=bad", result.Results);
        Assert.Contains("dkim=permerror header.d=sign.test header.s=missing", result.Results);
    }

    [Fact]
    public async Task Thirty_signatures_get_a_verdict_with_at_most_five_checked()
    {
        var message = Signable("billing@sign.test");
        for (var i = 0; i < 29; i++)
        {
            new DkimTestKey("sign.test", $"junk{i}").Sign(message);
        }

        zones.SignKey.Sign(message);
        var started = DateTime.UtcNow;
        var result = await DeliverAsync("127.0.0.3", "billing@sign.test", DkimTestKey.Bytes(message));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
        Assert.Equal(250, result.Reply.Code);
        // MimeKit puts each new signature on top: the good one is checked first, 25 are left unchecked.
        Assert.Equal(5, result.Results!.Split("; dkim=").Length - 1);
        Assert.Contains("dkim=pass header.d=sign.test header.s=sel", result.Results);
        Assert.Contains("note=dkim:_25_signatures_over_Dkim:MaxSignatures_not_checked", result.Trace);
    }

    [Fact]
    public async Task Dmarc_reject_refuses_with_550_5_7_1_quarantine_goes_to_junk_none_is_delivered()
    {
        var reject = await SendAsync(zones.Gateway, "127.0.0.3", "a@reject.test", Plain("a@reject.test"));
        Assert.Equal(550, reject.Code);
        Assert.Equal("5.7.1", reject.Enhanced);
        Assert.Contains("DMARC policy of reject.test", reject.Text);

        var allowed = await DeliverAsync("127.0.0.2", "a@reject.test", Plain("a@reject.test"));
        Assert.Equal("inbox", allowed.Folder);
        Assert.Contains("dmarc=pass (p=reject dis=none) header.from=reject.test", allowed.Results);

        var quarantine = await DeliverAsync("127.0.0.3", "a@quarantine.test", Plain("a@quarantine.test"));
        Assert.Equal(250, quarantine.Reply.Code);
        Assert.Equal("junk", quarantine.Folder);
        Assert.Contains("dmarc=fail (p=quarantine dis=quarantine) header.from=quarantine.test", quarantine.Results);

        var none = await DeliverAsync("127.0.0.3", "a@none.test", Plain("a@none.test"));
        Assert.Equal("inbox", none.Folder);
        Assert.Contains("dmarc=fail (p=none dis=none) header.from=none.test", none.Results);
    }

    [Fact]
    public async Task Dmarc_aligns_through_the_organisational_domain_and_applies_sp_to_subdomains()
    {
        // MAIL FROM shop.co.test passes SPF and is aligned (relaxed) with From news.shop.co.test.
        var aligned = await DeliverAsync("127.0.0.2", "bounce@shop.co.test", Plain("news@news.shop.co.test"));
        Assert.Contains("dmarc=pass", aligned.Results);
        Assert.Contains("header.from=news.shop.co.test", aligned.Results);
        // From a client SPF does not allow: sp=reject of the organisational domain's record applies.
        var refused = await SendAsync(zones.Gateway, "127.0.0.3", "bounce@shop.co.test", Plain("news@news.shop.co.test"));
        Assert.Equal(550, refused.Code);
        // The organisational domain itself gets p=none.
        var top = await DeliverAsync("127.0.0.3", "bounce@shop.co.test", Plain("news@shop.co.test"));
        Assert.Contains("dmarc=fail (p=none dis=none)", top.Results);
    }

    [Fact]
    public async Task A_malformed_dmarc_record_is_permerror_and_enforces_nothing()
    {
        var result = await DeliverAsync("127.0.0.3", "a@baddmarc.test", Plain("a@baddmarc.test"));
        Assert.Equal(250, result.Reply.Code);
        Assert.Contains("dmarc=permerror header.from=baddmarc.test", result.Results);
        Assert.Equal("inbox", result.Folder);
    }

    [Fact]
    public async Task Counters_are_on_metrics()
    {
        await DeliverAsync("127.0.0.2", "someone@spf.test", Plain("someone@spf.test"));
        using var http = new HttpClient();
        var metrics = "";
        for (var i = 0; i < 20 && !metrics.Contains("mailgateway_auth_results_total"); i++)
        {
            await Task.Delay(500);
            metrics = await http.GetStringAsync($"http://127.0.0.1:{zones.Gateway.AdminPort}/metrics");
        }

        Assert.Matches(@"mailgateway_auth_results_total\{[^}]*method=""spf""[^}]*result=""pass""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"mailgateway_dmarc_actions_total\{[^}]*action=""none""[^}]*\} [1-9]", metrics);
    }
}
