using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

public class MailPathTests
{
    [Theory]
    [InlineData("bob@example.org", "bob", "example.org")]
    [InlineData("Bob.Smith+tag@EXAMPLE.ORG", "Bob.Smith+tag", "example.org")]
    [InlineData("@relay.test,@other.test:bob@example.org", "bob", "example.org")]
    [InlineData("\"john doe\"@example.org", "\"john doe\"", "example.org")]
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
}
