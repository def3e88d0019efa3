using System.Text;
using MailGateway.Filters.Keywords;

namespace MailGateway.Filters.Tests.Keywords;

public sealed class KeywordFileTests
{
    private static KeywordMatcher Parse(string json) => KeywordFile.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Both_lists_are_read_with_comments_and_trailing_commas()
    {
        var matcher = Parse("""
            // Reviewed by postmaster@example.org
            {
              "good": [ "project phoenix", ],
              /* spam seen in March */
              "bad": [ "free money", "act now!" ],
            }
            """);

        Assert.Equal(1, matcher.GoodCount);
        Assert.Equal(2, matcher.BadCount);
        Assert.Equal(KeywordKind.Bad, matcher.Evaluate("ACT NOW!")?.Kind);
    }

    [Fact]
    public void Missing_lists_are_empty()
    {
        var matcher = Parse("""{ "bad": ["viagra"] }""");

        Assert.Equal(0, matcher.GoodCount);
        Assert.Equal(1, matcher.BadCount);
        Assert.Equal(0, Parse("{}").BadCount);
    }

    [Fact]
    public void Byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{ "Bad": ["viagra"] }""")).ToArray();

        Assert.Equal(1, KeywordFile.Parse(bytes).BadCount);
    }

    [Theory]
    [InlineData("""{ "bad": ["free money" }""", "invalid JSON at line 1")]
    [InlineData("""{ "bda": ["free money"] }""", "invalid JSON at line 1")]
    [InlineData("""{ "bad": "free money" }""", "invalid JSON at line 1")]
    [InlineData("""{ "bad": [1] }""", "invalid JSON at line 1")]
    [InlineData("null", "the file must contain an object")]
    [InlineData("""{ "good": ["ok", null] }""", "good[1] is null.")]
    [InlineData("""{ "bad": ["ok", "  "] }""", "bad[1] is empty.")]
    [InlineData("", "invalid JSON")]
    public void Invalid_file_is_refused_with_a_reason(string json, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(json));

        Assert.StartsWith(reason, error.Message);
    }

    [Fact]
    public void Shipped_example_file_parses()
    {
        var matcher = KeywordFile.Parse(File.ReadAllBytes(Path.Combine(RepositoryRoot(), "config", "keywords.json")));

        Assert.True(matcher.GoodCount > 0);
        Assert.True(matcher.BadCount > 0);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MailGateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MailGateway.sln not found above the test directory.");
    }
}
