using System.Net;
using System.Text;
using MailGateway.Filters.AllowList;

namespace MailGateway.Filters.Tests.AllowList;

public sealed class AllowListPolicyTests
{
    private static readonly IPAddress Elsewhere = IPAddress.Parse("192.0.2.200");

    private static readonly AllowListPolicy Policy = AllowListFile.Parse(Encoding.UTF8.GetBytes("""
        {
          "allow": {
            "senders": [ "Invoices@Supplier.example", "<>" ],
            "domains": [ "partner.example", "*.corp.example" ],
            "ips": [ "192.0.2.25", "198.51.100.0/24", "2001:db8:25::/48", "::ffff:192.0.2.77" ]
          },
          "block": {
            "senders": [ "offers@partner.example" ],
            "domains": [ "spam.example", "*.bulk.example" ],
            "ips": [ "203.0.113.0/24", "2001:db8:bad::/48", "198.51.100.66" ]
          }
        }
        """));

    [Theory]
    [InlineData("invoices@supplier.example")]
    [InlineData("INVOICES@SUPPLIER.EXAMPLE")]
    [InlineData("<invoices@supplier.example>")]
    [InlineData("invoices@supplier.example.")]
    public void Allowed_sender_address_is_allowed_whatever_its_case(string sender)
    {
        var decision = Policy.Evaluate(sender, null, Elsewhere);

        Assert.Equal(AllowListVerdict.Allowed, decision.Verdict);
        Assert.Equal(AllowListRuleKind.SenderAddress, decision.Rule?.Kind);
        Assert.Equal("Invoices@Supplier.example", decision.Rule?.Text);
        Assert.Equal(AllowListInput.EnvelopeSender, decision.Input);
    }

    [Theory]
    [InlineData("billing@supplier.example")]
    [InlineData("invoices@sub.supplier.example")]
    [InlineData("xinvoices@supplier.example")]
    public void Other_address_at_the_same_domain_is_not_allowed(string sender)
    {
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate(sender, null, Elsewhere).Verdict);
    }

    [Fact]
    public void Domain_rule_matches_the_domain_only()
    {
        Assert.Equal(AllowListVerdict.Allowed, Policy.Evaluate("anyone@Partner.Example", null, Elsewhere).Verdict);
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate("anyone@mail.partner.example", null, Elsewhere).Verdict);
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate("anyone@notpartner.example", null, Elsewhere).Verdict);
    }

    [Theory]
    [InlineData("a@mail.corp.example", AllowListVerdict.Allowed)]
    [InlineData("a@x.y.corp.example", AllowListVerdict.Allowed)]
    [InlineData("a@corp.example", AllowListVerdict.None)]
    [InlineData("a@evilcorp.example", AllowListVerdict.None)]
    [InlineData("a@corp.example.evil", AllowListVerdict.None)]
    public void Subdomain_rule_matches_subdomains_at_any_depth_but_not_the_domain(string sender, AllowListVerdict verdict)
    {
        var decision = Policy.Evaluate(sender, null, Elsewhere);

        Assert.Equal(verdict, decision.Verdict);
        if (verdict == AllowListVerdict.Allowed)
        {
            Assert.Equal(AllowListRuleKind.SenderSubdomains, decision.Rule?.Kind);
        }
    }

    [Fact]
    public void Block_wins_over_allow()
    {
        // offers@partner.example is blocked although partner.example is allowed.
        var decision = Policy.Evaluate("offers@partner.example", null, IPAddress.Parse("192.0.2.25"));

        Assert.Equal(AllowListVerdict.Blocked, decision.Verdict);
        Assert.Equal("block offers@partner.example", decision.Rule?.ToString());
    }

    [Fact]
    public void Blocked_address_inside_an_allowed_network_is_blocked()
    {
        var decision = Policy.Evaluate("someone@unknown.example", null, IPAddress.Parse("198.51.100.66"));

        Assert.Equal(AllowListVerdict.Blocked, decision.Verdict);
        Assert.Equal(AllowListInput.ClientAddress, decision.Input);
        Assert.Equal(AllowListVerdict.Allowed, Policy.Evaluate("someone@unknown.example", null, IPAddress.Parse("198.51.100.65")).Verdict);
    }

    [Fact]
    public void Blocked_header_from_blocks_an_allowed_envelope_sender()
    {
        var decision = Policy.Evaluate("invoices@supplier.example", "Deals <deals@news.bulk.example>", Elsewhere);

        Assert.Equal(AllowListVerdict.Blocked, decision.Verdict);
        Assert.Equal(AllowListInput.HeaderFrom, decision.Input);
        Assert.Equal("*.bulk.example", decision.Rule?.Text);
    }

    [Fact]
    public void Header_from_alone_can_allow()
    {
        var decision = Policy.Evaluate("bounce-123@esp.example", "\"Partner\" <news@partner.example>", Elsewhere);

        Assert.Equal(AllowListVerdict.Allowed, decision.Verdict);
        Assert.Equal(AllowListInput.HeaderFrom, decision.Input);
    }

    [Theory]
    [InlineData("192.0.2.25", AllowListVerdict.Allowed)]
    [InlineData("192.0.2.26", AllowListVerdict.None)]
    [InlineData("198.51.100.1", AllowListVerdict.Allowed)]
    [InlineData("198.51.101.1", AllowListVerdict.None)]
    [InlineData("203.0.113.9", AllowListVerdict.Blocked)]
    [InlineData("2001:db8:25:1::9", AllowListVerdict.Allowed)]
    [InlineData("2001:db8:26::9", AllowListVerdict.None)]
    [InlineData("2001:DB8:BAD::1", AllowListVerdict.Blocked)]
    [InlineData("::ffff:192.0.2.25", AllowListVerdict.Allowed)]
    [InlineData("::ffff:203.0.113.9", AllowListVerdict.Blocked)]
    [InlineData("192.0.2.77", AllowListVerdict.Allowed)]
    [InlineData("::ffff:192.0.2.77", AllowListVerdict.Allowed)]
    [InlineData("::1", AllowListVerdict.None)]
    public void Client_address_matches_addresses_and_networks_with_mapped_ipv4_as_ipv4(string client, AllowListVerdict verdict)
    {
        var decision = Policy.Evaluate("someone@unknown.example", null, IPAddress.Parse(client));

        Assert.Equal(verdict, decision.Verdict);
        if (verdict != AllowListVerdict.None)
        {
            Assert.Equal(AllowListRuleKind.ClientNetwork, decision.Rule?.Kind);
            Assert.Equal(AllowListInput.ClientAddress, decision.Input);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<>")]
    public void Null_sender_matches_only_a_null_sender_rule(string? sender)
    {
        var decision = Policy.Evaluate(sender, null, Elsewhere);

        Assert.Equal(AllowListVerdict.Allowed, decision.Verdict);
        Assert.Equal("<>", decision.Rule?.Text);

        var withoutRule = AllowListFile.Parse("""{ "allow": { "domains": ["partner.example"] } }"""u8);
        Assert.Equal(AllowListVerdict.None, withoutRule.Evaluate(sender, null, Elsewhere).Verdict);
    }

    [Fact]
    public void Null_sender_is_still_judged_by_its_client_address_and_from_header()
    {
        Assert.Equal(AllowListVerdict.Blocked, Policy.Evaluate("<>", null, IPAddress.Parse("203.0.113.1")).Verdict);
        Assert.Equal(AllowListVerdict.Blocked, Policy.Evaluate("<>", "x@spam.example", Elsewhere).Verdict);
    }

    [Fact]
    public void Empty_policy_and_unknown_client_give_none()
    {
        Assert.Same(AllowListDecision.None, AllowListPolicy.Empty.Evaluate("a@partner.example", null, Elsewhere));
        Assert.Equal(AllowListVerdict.None, Policy.Evaluate("someone@unknown.example", null, null).Verdict);
        Assert.Null(AllowListDecision.None.Rule);
    }

    [Fact]
    public void Counts_are_per_side()
    {
        Assert.Equal(8, Policy.AllowCount);
        Assert.Equal(6, Policy.BlockCount);
    }
}
