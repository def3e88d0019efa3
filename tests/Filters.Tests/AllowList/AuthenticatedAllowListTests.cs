using System.Net;
using System.Text;
using MailGateway.Filters.AllowList;
using MailGateway.Filters.Authentication;
using MailGateway.Filters.Dmarc;
using MailGateway.Filters.Spf;

namespace MailGateway.Filters.Tests.AllowList;

/// <summary>Issue 19 item 9: sender and domain allow rules match only an identity SPF or DKIM authenticated.</summary>
public sealed class AuthenticatedAllowListTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.200");

    private static readonly AllowListPolicy Policy = AllowListFile.Parse(Encoding.UTF8.GetBytes("""
        {
          "allow": { "senders": [ "invoices@supplier.example" ], "domains": [ "partner.example" ], "ips": [ "198.51.100.0/24" ] },
          "block": { "senders": [ "offers@supplier.example" ] }
        }
        """));

    private static Func<string?, bool> Authenticated(AuthenticationResults results) =>
        domain => results.AuthenticatedIdentity(domain, PublicSuffixList.Empty) is not null;

    private static AuthenticationResults SpfPass(string domain) =>
        new() { Spf = new SpfVerdict(SpfResult.Pass, "mailfrom", "x@" + domain, domain, "") };

    [Fact]
    public void A_sender_rule_does_not_match_a_forged_sender()
    {
        var nothing = new AuthenticationResults();
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate("invoices@supplier.example", null, Client, Authenticated(nothing)).Verdict);
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate("x@spam.example", "invoices@supplier.example", Client,
            Authenticated(SpfPass("spam.example"))).Verdict);
        var softfail = new AuthenticationResults
        {
            Spf = new SpfVerdict(SpfResult.SoftFail, "mailfrom", "invoices@supplier.example", "supplier.example", ""),
        };
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate("invoices@supplier.example", null, Client, Authenticated(softfail)).Verdict);
    }

    [Fact]
    public void A_sender_or_domain_rule_matches_with_an_aligned_spf_or_dkim_pass()
    {
        var bySpf = Policy.Evaluate("invoices@supplier.example", null, Client, Authenticated(SpfPass("bounce.supplier.example")));
        Assert.Equal((AllowListVerdict.Allowed, AllowListInput.EnvelopeSender), (bySpf.Verdict, bySpf.Input));

        var dkim = new AuthenticationResults();
        dkim.AddDkim(new DkimResult("fail", "partner.example", "s", ""));
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate("bounce@esp.example", "ceo@partner.example", Client, Authenticated(dkim)).Verdict);
        dkim.AddDkim(new DkimResult("pass", "partner.example", "s", ""));
        var byDkim = Policy.Evaluate("bounce@esp.example", "ceo@partner.example", Client, Authenticated(dkim));
        Assert.Equal((AllowListVerdict.Allowed, AllowListInput.HeaderFrom), (byDkim.Verdict, byDkim.Input));
        Assert.Equal("dkim:partner.example", dkim.AuthenticatedIdentity("partner.example", PublicSuffixList.Empty));
    }

    [Fact]
    public void Network_and_block_rules_need_no_authentication()
    {
        var nothing = Authenticated(new AuthenticationResults());
        Assert.Equal(AllowListVerdict.Allowed, Policy.Evaluate("a@b.example", null, IPAddress.Parse("198.51.100.9"), nothing).Verdict);
        Assert.Equal(AllowListVerdict.Blocked, Policy.Evaluate("offers@supplier.example", null, Client, nothing).Verdict);
        // Without the check (AllowList:RequireAuthentication=false) the address alone matches, as before.
        Assert.Equal(AllowListVerdict.Allowed, Policy.Evaluate("invoices@supplier.example", null, Client).Verdict);
    }
}
