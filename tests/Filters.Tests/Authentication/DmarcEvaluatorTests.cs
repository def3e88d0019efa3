using MailGateway.Filters.Authentication;
using MailGateway.Filters.Dmarc;
using MailGateway.Filters.Spf;

namespace MailGateway.Filters.Tests.Authentication;

/// <summary>RFC 7489: record discovery, alignment, p/sp/pct, errors; the public suffix list's rules.</summary>
public class DmarcEvaluatorTests
{
    private static PublicSuffixList Suffixes()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "// ===BEGIN ICANN DOMAINS===\ncom\nuk\nco.uk\n*.ck\n!www.ck\n// private\nblogspot.com\n");
        try
        {
            return PublicSuffixList.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static SpfVerdict Spf(SpfResult result, string domain) => new(result, "mailfrom", "x@" + domain, domain, "");

    private static DkimResult Dkim(string result, string domain) => new(result, domain, "s", "");

    private static Task<DmarcResult> EvaluateAsync(FakeDnsResolver dns, string from, SpfVerdict? spf, DkimResult[] dkim, int sample = 0) =>
        new DmarcEvaluator(dns, Suffixes()).EvaluateAsync(from, spf, dkim, sample, CancellationToken.None);

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("mail.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("foo.bar.ck", "foo.bar.ck")]
    [InlineData("a.www.ck", "www.ck")]
    [InlineData("me.blogspot.com", "me.blogspot.com")]
    [InlineData("x.y.unlisted", "y.unlisted")]
    [InlineData("EXAMPLE.COM.", "example.com")]
    public void Organisational_domain_is_the_public_suffix_and_one_label(string domain, string expected)
    {
        Assert.Equal(expected, Suffixes().OrganisationalDomain(domain));
    }

    [SkippableFact]
    public void Debians_list_knows_multi_label_suffixes()
    {
        Skip.IfNot(File.Exists(PublicSuffixList.DebianPath), "publicsuffix is not installed (scripts/install-deps.sh)");
        var list = PublicSuffixList.Load(PublicSuffixList.DebianPath);
        Assert.True(list.Count > 5000);
        Assert.Equal("bbc.co.uk", list.OrganisationalDomain("news.bbc.co.uk"));
        Assert.Equal("example.com.au", list.OrganisationalDomain("mail.example.com.au"));
    }

    [Fact]
    public void Without_the_file_only_the_implicit_rule_applies()
    {
        var list = PublicSuffixList.Load("/nonexistent/public_suffix_list.dat");
        Assert.Null(list.Path);
        Assert.Equal("co.uk", list.OrganisationalDomain("news.bbc.co.uk"));
    }

    [Fact]
    public async Task Relaxed_alignment_accepts_a_subdomain_and_strict_does_not()
    {
        var relaxed = new FakeDnsResolver().WithTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var pass = await EvaluateAsync(relaxed, "example.com", Spf(SpfResult.Pass, "bounce.example.com"), []);
        Assert.Equal("pass", pass.Result);
        Assert.Equal("bounce.example.com", pass.AlignedSpfDomain);

        var strict = new FakeDnsResolver().WithTxt("_dmarc.example.com", "v=DMARC1; p=reject; aspf=s; adkim=s");
        var fail = await EvaluateAsync(strict, "example.com", Spf(SpfResult.Pass, "bounce.example.com"),
            [Dkim("pass", "mail.example.com")]);
        Assert.Equal("fail", fail.Result);
        Assert.Equal("reject", fail.Disposition);
        Assert.Equal("pass", (await EvaluateAsync(strict, "example.com", null, [Dkim("pass", "example.com")])).Result);
    }

    [Fact]
    public async Task Only_a_pass_of_an_aligned_domain_counts()
    {
        var dns = new FakeDnsResolver().WithTxt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        var result = await EvaluateAsync(dns, "example.com", Spf(SpfResult.Pass, "other.net"),
            [Dkim("pass", "other.net"), Dkim("fail", "example.com"), Dkim("pass", "example.com.evil.net")]);
        Assert.Equal("fail", result.Result);
        Assert.Equal("quarantine", result.Disposition);
        Assert.Equal("pass", (await EvaluateAsync(dns, "example.com", Spf(SpfResult.SoftFail, "example.com"),
            [Dkim("fail", "x.net"), Dkim("pass", "sub.example.com")])).Result);
    }

    [Fact]
    public async Task The_organisational_domains_record_applies_sp_to_subdomains()
    {
        var dns = new FakeDnsResolver().WithTxt("_dmarc.example.co.uk", "v=DMARC1; p=none; sp=reject");
        var sub = await EvaluateAsync(dns, "news.example.co.uk", null, []);
        Assert.Equal(("fail", "reject", "reject"), (sub.Result, sub.Policy, sub.Disposition));
        var top = await EvaluateAsync(dns, "example.co.uk", null, []);
        Assert.Equal(("fail", "none", "none"), (top.Result, top.Policy, top.Disposition));
        // A subdomain's own record wins over the organisational domain's.
        dns.WithTxt("_dmarc.shop.example.co.uk", "v=DMARC1; p=quarantine; sp=reject");
        Assert.Equal("quarantine", (await EvaluateAsync(dns, "shop.example.co.uk", null, [])).Disposition);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject; pct=50", 49, "reject")]
    [InlineData("v=DMARC1; p=reject; pct=50", 50, "quarantine")]
    [InlineData("v=DMARC1; p=quarantine; pct=0", 0, "none")]
    [InlineData("v=DMARC1; p=reject; pct=250", 99, "reject")]
    [InlineData("v=DMARC1; p=reject; sp=bogus; adkim=x", 0, "reject")]
    public async Task Pct_samples_and_a_message_outside_the_sample_gets_the_next_milder_policy(string record, int sample, string disposition)
    {
        var dns = new FakeDnsResolver().WithTxt("_dmarc.example.com", record);
        Assert.Equal(disposition, (await EvaluateAsync(dns, "example.com", null, [], sample)).Disposition);
    }

    [Theory]
    [InlineData("v=DMARC1; p=bogus")]
    [InlineData("v=DMARC1; p=; ruf=mailto:x@example.com")]
    [InlineData("v=DMARC1; p=reject; garbage")]
    public async Task A_malformed_record_is_permerror_and_enforces_nothing(string record)
    {
        var result = await EvaluateAsync(new FakeDnsResolver().WithTxt("_dmarc.example.com", record), "example.com", null, []);
        Assert.Equal(("permerror", "none"), (result.Result, result.Disposition));
    }

    [Fact]
    public async Task A_record_with_rua_but_no_p_is_read_as_p_none()
    {
        var result = await EvaluateAsync(new FakeDnsResolver().WithTxt("_dmarc.example.com", "v=DMARC1; rua=mailto:d@example.com"),
            "example.com", null, []);
        Assert.Equal(("fail", "none", "none"), (result.Result, result.Policy, result.Disposition));
    }

    [Fact]
    public async Task No_record_two_records_or_a_record_not_starting_with_v_is_none()
    {
        Assert.Equal("none", (await EvaluateAsync(new FakeDnsResolver(), "example.com", null, [])).Result);
        Assert.Equal("none", (await EvaluateAsync(new FakeDnsResolver().WithTxt("_dmarc.example.com",
            "v=DMARC1; p=reject", "v=DMARC1; p=none"), "example.com", null, [])).Result);
        Assert.Equal("none", (await EvaluateAsync(new FakeDnsResolver().WithTxt("_dmarc.example.com",
            "p=reject; v=DMARC1"), "example.com", null, [])).Result);
    }

    [Fact]
    public async Task A_dns_failure_or_an_spf_or_dkim_temperror_without_a_pass_is_temperror()
    {
        var down = new FakeDnsResolver();
        down.Failing.Add("_dmarc.example.com");
        Assert.Equal(("temperror", "none"), await Pair(down, null, []));

        var dns = new FakeDnsResolver().WithTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        Assert.Equal(("temperror", "none"), await Pair(dns, Spf(SpfResult.TempError, "example.com"), []));
        Assert.Equal(("temperror", "none"), await Pair(dns, null, [Dkim("temperror", "example.com")]));
        Assert.Equal(("pass", "none"), await Pair(dns, Spf(SpfResult.TempError, "example.com"), [Dkim("pass", "example.com")]));

        async Task<(string, string)> Pair(FakeDnsResolver r, SpfVerdict? spf, DkimResult[] dkim)
        {
            var result = await EvaluateAsync(r, "example.com", spf, dkim);
            return (result.Result, result.Disposition);
        }
    }
}
