using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

public class MailPathTests
{
    [Theory]
    [InlineData("bob@example.org", "bob", "example.org")]
    [InlineData("Bob.Smith+tag@EXAMPLE.ORG", "Bob.Smith+tag", "example.org")]
    [InlineData("@relay.test,@other.test:bob@example.org", "bob", "example.org")]
    [InlineData("\"john doe\"@example.org", "\"john doe\"", "example.org")]
    [InlineData("\"john\\ doe\"@example.org", "\"john doe\"", "example.org")]
    [InlineData("\"a\\\"b\"@example.org", "\"a\\\"b\"", "example.org")]
    [InlineData("\"bob\"@example.org", "bob", "example.org")]
    [InlineData("\"b\\ob.smith\"@example.org", "bob.smith", "example.org")]
    [InlineData("bob@example\u3002org", "bob", "example.org")]
    [InlineData("bob@EXAMPLE\uFF0EORG", "bob", "example.org")]
    [InlineData("bob@example.org.", "bob", "example.org")]
    [InlineData("bob@XN--BCHER-KVA.example", "bob", "b\u00fccher.example")]
    [InlineData("用户@例子.测试", "用户", "例子.测试")]
    [InlineData("x@[192.0.2.1]", "x", "[192.0.2.1]")]
    public void Valid_paths_parse_into_local_part_and_domain(string path, string local, string domain)
    {
        var parsed = MailPath.TryParse(path, "example.org", false, out var error);
        Assert.NotNull(parsed);
        Assert.Equal("", error);
        Assert.Equal(local, parsed.LocalPart);
        Assert.Equal(domain, parsed.Domain);
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("@example.org")]
    [InlineData("bob@")]
    [InlineData("a..b@example.org")]
    [InlineData(".a@example.org")]
    [InlineData("a/b@example.org")]
    [InlineData("a b@example.org")]
    [InlineData("\"unterminated@example.org")]
    [InlineData("bob@exa mple.org")]
    [InlineData("bob@[999.1.1.1]")]
    [InlineData("@relay.test:")]
    [InlineData("\"a\\/b\"@example.org")]
    [InlineData("x@[IPv6:::1%\0]")]
    [InlineData("x@[IPv6:::1%25]")]
    [InlineData("\"\\/..\\/..\\/etc\"@example.org")]
    [InlineData("bob@example.org..")]
    [InlineData("bob@.example.org")]
    public void Invalid_paths_are_refused_with_a_reason(string path)
    {
        Assert.Null(MailPath.TryParse(path, "example.org", false, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Bare_postmaster_is_accepted_for_recipients_only()
    {
        Assert.Equal("postmaster@example.org",
            MailPath.TryParse("Postmaster", "example.org", true, out _)!.Address.ToLowerInvariant());
        Assert.Null(MailPath.TryParse("Postmaster", "example.org", false, out _));
    }

    [Theory]
    [InlineData("user%evil.test@example.org")]
    [InlineData("evil.test!user@example.org")]
    [InlineData("\"user@evil.test\"@example.org")]
    public void Routing_characters_in_the_local_part_are_flagged(string path)
    {
        Assert.True(MailPath.TryParse(path, "example.org", false, out _)!.HasRoutingCharacters);
    }

    [Fact]
    public void Mailbox_key_is_the_lower_cased_address()
    {
        Assert.Equal("bob@example.org", MailPath.TryParse("BoB@Example.ORG", "", false, out _)!.MailboxKey);
    }

    [Theory]
    [InlineData("\"bob\"@example.org", "bob@example.org")]
    [InlineData("Bob@Example\u3002ORG", "bob@example.org")]
    [InlineData("\"b\\ob\"@example.org.", "bob@example.org")]
    public void Spellings_of_one_mailbox_share_one_mailbox_key(string path, string key)
    {
        Assert.Equal(key, MailPath.TryParse(path, "", false, out _)!.MailboxKey);
    }

    [Fact]
    public void The_ascii_flag_follows_what_the_client_wrote()
    {
        Assert.True(MailPath.TryParse("bob@example.org", "", false, out _)!.IsAscii);
        Assert.False(MailPath.TryParse("bob@example\u3002org", "", false, out _)!.IsAscii);
        Assert.False(MailPath.TryParse("j\u00f6rg@example.org", "", false, out _)!.IsAscii);
    }

    [Theory]
    [InlineData(64, false)]
    [InlineData(65, true)]
    public void A_local_part_over_64_octets_is_flagged(int length, bool tooLong)
    {
        Assert.Equal(tooLong, MailPath.TryParse(new string('a', length) + "@example.org", "", false, out _)!.LocalPartTooLong);
    }

    [Fact]
    public void Local_part_length_counts_utf8_octets_not_characters()
    {
        var path = MailPath.TryParse(new string('\u00e9', 40) + "@example.org", "", false, out _)!;
        Assert.True(path.LocalPartTooLong);
    }
}
