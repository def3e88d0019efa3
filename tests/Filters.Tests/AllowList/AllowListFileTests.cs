using System.Net;
using System.Text;
using MailGateway.Filters.AllowList;
using MailGateway.Filters.Tests.Keywords;

namespace MailGateway.Filters.Tests.AllowList;

public sealed class AllowListFileTests
{
    private static AllowListPolicy Parse(string json) => AllowListFile.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{ "allow": { "senders": ["not an address"] } }""", "allow.senders[0]: \"not an address\" is not an address (local@domain) or <> (the null sender).")]
    [InlineData("""{ "allow": { "senders": ["@example.com"] } }""", "allow.senders[0]: \"@example.com\" is not an address")]
    [InlineData("""{ "block": { "senders": ["ok@example.com", ""] } }""", "block.senders[1] is empty.")]
    [InlineData("""{ "allow": { "domains": [".example.com"] } }""", "allow.domains[0]: \".example.com\" is not a domain name (write *.example.com for the subdomains of example.com).")]
    [InlineData("""{ "allow": { "domains": ["*example.com"] } }""", "allow.domains[0]: \"*example.com\" is not a domain name (write *.example.com")]
    [InlineData("""{ "allow": { "domains": ["a..b"] } }""", "allow.domains[0]: \"a..b\" is not a domain name.")]
    [InlineData("""{ "block": { "ips": ["192.0.2.1/24"] } }""", "block.ips[0]: \"192.0.2.1/24\" has bits set after the prefix; the network is 192.0.2.0/24.")]
    [InlineData("""{ "block": { "ips": ["192.0.2.0/33"] } }""", "block.ips[0]: \"192.0.2.0/33\" has an invalid prefix length (0 to 32).")]
    [InlineData("""{ "block": { "ips": ["2001:db8::/-1"] } }""", "block.ips[0]: \"2001:db8::/-1\" has an invalid prefix length (0 to 128).")]
    [InlineData("""{ "block": { "ips": ["example.com"] } }""", "block.ips[0]: \"example.com\" is not an IP address or CIDR network")]
    [InlineData("""{ "block": { "ip": ["192.0.2.1"] } }""", "invalid JSON at line 1")]
    [InlineData("""{ "allow": [] }""", "invalid JSON at line 1")]
    [InlineData("""{ "allow": { "senders": ["a@b.example"] """, "invalid JSON at line 1")]
    [InlineData("null", "the file must contain an object")]
    public void Invalid_entry_is_refused_naming_the_entry(string json, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(json));

        Assert.StartsWith(reason, error.Message);
    }

    [Fact]
    public void Comments_trailing_commas_missing_sides_and_case_are_accepted()
    {
        var policy = Parse("""
            {
              // only a block-list
              "Block": { "IPs": [ "203.0.113.0/24", ], },
            }
            """);

        Assert.Equal(0, policy.AllowCount);
        Assert.Equal(1, policy.BlockCount);
        Assert.Equal(AllowListVerdict.Blocked, policy.Evaluate("a@b.example", null, IPAddress.Parse("203.0.113.5")).Verdict);
    }

    [Fact]
    public void Mapped_ipv4_network_rule_is_kept_as_ipv4()
    {
        var policy = Parse("""{ "block": { "ips": [ "::ffff:203.0.113.0/120" ] } }""");

        Assert.Equal(AllowListVerdict.Blocked, policy.Evaluate(null, null, IPAddress.Parse("203.0.113.5")).Verdict);
        Assert.Equal(AllowListVerdict.Blocked, policy.Evaluate(null, null, IPAddress.Parse("::ffff:203.0.113.5")).Verdict);
    }

    [Fact]
    public void Shipped_example_file_parses()
    {
        var policy = AllowListFile.Parse(File.ReadAllBytes(Path.Combine(KeywordFileTests.RepositoryRoot(), "config", "allowlist.json")));

        Assert.True(policy.AllowCount > 0);
        Assert.True(policy.BlockCount > 0);
        Assert.Equal(AllowListVerdict.Blocked, policy.Evaluate("offers@partner.example", null, IPAddress.Loopback).Verdict);
    }
}
