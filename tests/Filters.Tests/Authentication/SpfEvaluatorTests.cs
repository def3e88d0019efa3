using System.Net;
using MailGateway.Filters.Dns;
using MailGateway.Filters.Spf;

namespace MailGateway.Filters.Tests.Authentication;

/// <summary>RFC 7208's check_host() against records written down in the test.</summary>
public class SpfEvaluatorTests
{
    private static async Task<SpfResult> CheckAsync(FakeDnsResolver dns, string client, string sender = "user@example.com",
        string helo = "mail.example.com") =>
        (await new SpfEvaluator(dns).CheckAsync(IPAddress.Parse(client), sender, helo, CancellationToken.None)).Result;

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "192.0.2.77", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "198.51.100.1", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.2.1 ~all", "198.51.100.1", SpfResult.SoftFail)]
    [InlineData("v=spf1 ip4:192.0.2.1 ?all", "198.51.100.1", SpfResult.Neutral)]
    [InlineData("v=spf1 ip4:192.0.2.1", "198.51.100.1", SpfResult.Neutral)]
    [InlineData("V=SPF1 -IP4:192.0.2.1 +ALL", "192.0.2.1", SpfResult.Fail)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", "2001:db8::25", SpfResult.Pass)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", "2001:db9::25", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "::ffff:192.0.2.9", SpfResult.Pass)]
    [InlineData("v=spf1 a -all", "192.0.2.10", SpfResult.Pass)]
    [InlineData("v=spf1 a:other.example.com/24 -all", "198.51.100.200", SpfResult.Pass)]
    [InlineData("v=spf1 mx -all", "192.0.2.20", SpfResult.Pass)]
    [InlineData("v=spf1 mx/30 -all", "192.0.2.21", SpfResult.Pass)]
    [InlineData("v=spf1 mx -all", "192.0.2.21", SpfResult.Fail)]
    [InlineData("v=spf1 exists:%{i}.ok.example.com -all", "192.0.2.30", SpfResult.Pass)]
    [InlineData("v=spf1 ptr -all", "192.0.2.40", SpfResult.Pass)]
    [InlineData("v=spf1 ptr -all", "192.0.2.41", SpfResult.Fail)]
    [InlineData("v=spf1 redirect=_spf.example.com", "192.0.2.50", SpfResult.Pass)]
    [InlineData("v=spf1 redirect=_spf.example.com", "192.0.2.51", SpfResult.Fail)]
    [InlineData("v=spf1 -all redirect=_spf.example.com", "192.0.2.50", SpfResult.Fail)]
    [InlineData("v=spf1 include:_spf.example.com ~all", "192.0.2.51", SpfResult.SoftFail)]
    [InlineData("v=spf1 include:_spf.example.com ~all", "192.0.2.50", SpfResult.Pass)]
    [InlineData("v=spf1 unknown-mod=foo ip4:192.0.2.1 -all", "192.0.2.1", SpfResult.Pass)]
    public async Task Mechanisms_qualifiers_and_modifiers_give_the_rfc_result(string record, string client, SpfResult expected)
    {
        var dns = new FakeDnsResolver()
            .WithTxt("example.com", "some other text", record)
            .WithTxt("_spf.example.com", "v=spf1 ip4:192.0.2.50 -all")
            .WithA("example.com", "192.0.2.10")
            .WithA("other.example.com", "198.51.100.1")
            .WithA("mx1.example.com", "192.0.2.20")
            .WithA("192.0.2.30.ok.example.com", "127.0.0.2")
            .WithA("host.example.com", "192.0.2.40");
        dns.Mx["example.com"] = ["mx1.example.com"];
        dns.Ptr["192.0.2.40"] = ["host.example.com"];
        dns.Ptr["192.0.2.41"] = ["host.example.com"];
        dns.Aaaa["example.com"] = ["2001:db8::10"];
        Assert.Equal(expected, await CheckAsync(dns, client));
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.300 -all")]
    [InlineData("v=spf1 ip4:192.0.2.1/33 -all")]
    [InlineData("v=spf1 ip6:192.0.2.1 -all")]
    [InlineData("v=spf1 a/024 -all")]
    [InlineData("v=spf1 foo:bar -all")]
    [InlineData("v=spf1 include -all")]
    [InlineData("v=spf1 all:x")]
    [InlineData("v=spf1 redirect=a.example.com redirect=b.example.com")]
    [InlineData("v=spf1 exists:%{z}.example.com -all")]
    [InlineData("v=spf1 exists:%{d0}.example.com -all")]
    public async Task A_malformed_record_is_permerror_even_after_a_matching_term(string record)
    {
        // The syntax error comes after a matching term: the whole record is checked before anything is evaluated.
        var dns = new FakeDnsResolver().WithTxt("example.com", record.Replace("v=spf1 ", "v=spf1 ?ip4:198.51.100.9 "));
        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "198.51.100.9"));
    }

    [Theory]
    [InlineData("v=spf1 include:nothing.example.com -all")]
    [InlineData("v=spf1 redirect=nothing.example.com")]
    public async Task An_include_or_redirect_to_a_domain_without_a_record_is_permerror(string record)
    {
        Assert.Equal(SpfResult.PermError, await CheckAsync(new FakeDnsResolver().WithTxt("example.com", record), "192.0.2.1"));
    }

    [Fact]
    public async Task Two_spf_records_are_permerror_and_none_is_none()
    {
        Assert.Equal(SpfResult.PermError, await CheckAsync(
            new FakeDnsResolver().WithTxt("example.com", "v=spf1 -all", "v=spf1 +all"), "192.0.2.1"));
        Assert.Equal(SpfResult.None, await CheckAsync(new FakeDnsResolver().WithTxt("example.com", "v=spf10 +all"), "192.0.2.1"));
        Assert.Equal(SpfResult.None, await CheckAsync(new FakeDnsResolver(), "192.0.2.1", sender: "user@localhost"));
    }

    [Fact]
    public async Task The_eleventh_dns_querying_term_is_permerror_across_includes()
    {
        // Five includes that each do one a: lookup = 10 terms, and one a: more = 11: the limit counts every include
        // and every lookup term inside them.
        var dns = new FakeDnsResolver().WithTxt("example.com",
            "v=spf1 " + string.Join(' ', Enumerable.Range(1, 5).Select(i => $"include:i{i}.example.com")) + " a:h6.example.com +all");
        for (var i = 1; i <= 6; i++)
        {
            dns.WithTxt($"i{i}.example.com", $"v=spf1 a:h{i}.example.com -all").WithA($"h{i}.example.com", "10.0.0.1");
        }

        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "192.0.2.1"));

        var ten = new FakeDnsResolver().WithTxt("example.com",
            "v=spf1 " + string.Join(' ', Enumerable.Range(1, 5).Select(i => $"include:i{i}.example.com")) + " +all");
        for (var i = 1; i <= 5; i++)
        {
            ten.WithTxt($"i{i}.example.com", $"v=spf1 a:h{i}.example.com -all").WithA($"h{i}.example.com", "10.0.0.1");
        }

        Assert.Equal(SpfResult.Pass, await CheckAsync(ten, "192.0.2.1"));
    }

    [Fact]
    public async Task Ip4_all_and_ip6_do_not_count_as_dns_terms()
    {
        var dns = new FakeDnsResolver().WithTxt("example.com",
            "v=spf1 " + string.Join(' ', Enumerable.Range(1, 30).Select(i => $"ip4:10.0.{i}.0/24")) + " ip6:2001:db8::/32 -all");
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "192.0.2.1"));
    }

    [Fact]
    public async Task The_third_void_lookup_is_permerror_and_two_are_allowed()
    {
        var three = new FakeDnsResolver().WithTxt("example.com", "v=spf1 a:v1.example.com mx:v2.example.com exists:v3.example.com +all");
        Assert.Equal(SpfResult.PermError, await CheckAsync(three, "192.0.2.1"));
        var two = new FakeDnsResolver().WithTxt("example.com", "v=spf1 a:v1.example.com mx:v2.example.com +all");
        Assert.Equal(SpfResult.Pass, await CheckAsync(two, "192.0.2.1"));
    }

    [Fact]
    public async Task More_than_ten_mx_records_is_permerror()
    {
        var dns = new FakeDnsResolver().WithTxt("example.com", "v=spf1 mx -all");
        dns.Mx["example.com"] = Enumerable.Range(1, 11).Select(i => $"mx{i}.example.com").ToList();
        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "192.0.2.1"));
    }

    [Fact]
    public async Task A_dns_failure_is_temperror_but_a_failed_ptr_lookup_only_does_not_match()
    {
        var record = new FakeDnsResolver();
        record.Failing.Add("example.com");
        Assert.Equal(SpfResult.TempError, await CheckAsync(record, "192.0.2.1"));

        var include = new FakeDnsResolver().WithTxt("example.com", "v=spf1 include:slow.example.com -all");
        include.Failing.Add("slow.example.com");
        Assert.Equal(SpfResult.TempError, await CheckAsync(include, "192.0.2.1"));

        var ptr = new FakeDnsResolver().WithTxt("example.com", "v=spf1 ptr ~all");
        ptr.Failing.Add("192.0.2.1");
        Assert.Equal(SpfResult.SoftFail, await CheckAsync(ptr, "192.0.2.1"));
    }

    [Fact]
    public async Task The_null_sender_is_checked_as_postmaster_at_the_helo_name()
    {
        var dns = new FakeDnsResolver().WithTxt("mail.example.com", "v=spf1 exists:%{l}.%{o}.ok.example.com -all")
            .WithA("postmaster.mail.example.com.ok.example.com", "127.0.0.2");
        var verdict = await new SpfEvaluator(dns).CheckAsync(IPAddress.Parse("192.0.2.1"), "", "mail.example.com", CancellationToken.None);
        Assert.Equal(SpfResult.Pass, verdict.Result);
        Assert.Equal("helo", verdict.Scope);
        Assert.Equal("mail.example.com", verdict.Identity);
        var literal = await new SpfEvaluator(dns).CheckAsync(IPAddress.Parse("192.0.2.1"), "", "[192.0.2.1]", CancellationToken.None);
        Assert.Equal(SpfResult.None, literal.Result);
        Assert.Equal("not a domain", literal.Reason);
        var bare = await new SpfEvaluator(dns).CheckAsync(IPAddress.Parse("192.0.2.1"), "", "192.0.2.1", CancellationToken.None);
        Assert.Equal("not a domain", bare.Reason);
        Assert.DoesNotContain(dns.Queries, q => q.Contains("192.0.2.1]") || q == "TXT 192.0.2.1");
    }

    [Theory]
    // RFC 7208 section 7.4's examples: sender strong-bad@email.example.com, client 192.0.2.3 / 2001:db8::cb01.
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%%%_%-", "% %20")]
    public void Macros_expand_as_in_the_rfc_examples(string macro, string expected)
    {
        var values = new SpfMacroValues(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "strong-bad",
            "email.example.com", "email.example.com", "mx.example.org");
        Assert.Equal(expected, SpfMacro.Expand(macro, values));
    }

    [Fact]
    public void An_ipv6_client_expands_to_nibbles()
    {
        var values = new SpfMacroValues(IPAddress.Parse("2001:db8::cb01"), "strong-bad@email.example.com", "strong-bad",
            "email.example.com", "email.example.com", "mx.example.org");
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            SpfMacro.Expand("%{ir}.%{v}._spf.%{d2}", values));
    }

    [Fact]
    public async Task A_cancelled_evaluation_ends()
    {
        var dns = new FakeDnsResolver().WithTxt("example.com", "v=spf1 include:a.example.com -all")
            .WithTxt("a.example.com", "v=spf1 -all");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SpfEvaluator(dns).CheckAsync(IPAddress.Parse("192.0.2.1"), "a@example.com", "h.example.com", cancelled.Token));
        Assert.Equal(DnsLookupStatus.NotFound, (await dns.TextAsync("x.example.com", default)).Status);
    }
}
