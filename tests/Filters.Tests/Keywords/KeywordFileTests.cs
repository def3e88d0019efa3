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
    [InlineData("""{ "bad": [1] }""", "bad[0] must be a string or")]
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
    public void The_shipped_file_lists_no_phrases_and_its_commented_sample_parses()
    {
        var shipped = File.ReadAllText(Path.Combine(RepositoryRoot(), "config", "keywords.json"));
        var matcher = KeywordFile.Parse(Encoding.UTF8.GetBytes(shipped));

        // Issue 21 item 13 / issue 17 item 4: a shipped phrase would apply to every sender of every site.
        Assert.Equal(0, matcher.GoodCount);
        Assert.Equal(0, matcher.BadCount);

        // The sample is the commented block of "//   " lines: it must be valid as it stands once uncommented.
        var sample = string.Join('\n', shipped.Split('\n').Where(l => l.TrimStart().StartsWith("//   ", StringComparison.Ordinal))
            .Select(l => l.TrimStart()[2..]));
        var example = Parse("{" + sample + "}");
        Assert.True(example.GoodCount > 0);
        Assert.True(example.BadCount > 0);
        Assert.Contains(example.FindAll("free money and claim your prize"), m => m.IsAdditive);
        Assert.Contains(example.FindAll("free money and claim your prize"), m => m.Kind == KeywordKind.Bad && !m.IsAdditive);
    }

    [Fact]
    public void A_bad_phrase_may_be_an_object_that_adds_to_the_scl()
    {
        var matcher = Parse("""{ "bad": [ "claim your prize", { "phrase": "free money", "scl": "+3" }, { "Phrase": "act now", "SCL": "+9" }, { "phrase": "cheap" } ] }""");

        Assert.Equal(4, matcher.BadCount);
        Assert.Equal(3, matcher.Evaluate("free money")?.SclAdd);
        Assert.True(matcher.Evaluate("free money")?.IsAdditive);
        Assert.Equal(9, matcher.Evaluate("act now")?.SclAdd);
        Assert.False(matcher.Evaluate("claim your prize")?.IsAdditive);
        Assert.False(matcher.Evaluate("cheap")?.IsAdditive);
        Assert.Equal(9, matcher.Evaluate("cheap")?.Scl);
    }

    [Theory]
    [InlineData("""{ "bad": [ { "phrase": "x", "scl": "3" } ] }""", "bad[0] has \"scl\": \"3\"; write \"+1\" to \"+9\"")]
    [InlineData("""{ "bad": [ { "phrase": "x", "scl": "+10" } ] }""", "bad[0] has \"scl\": \"+10\"")]
    [InlineData("""{ "bad": [ "a", { "phrase": "x", "scl": "+0" } ] }""", "bad[1] has \"scl\": \"+0\"")]
    [InlineData("""{ "bad": [ { "scl": "+3" } ] }""", "bad[0] has no \"phrase\" string.")]
    [InlineData("""{ "bad": [ { "phrase": "x", "weight": 3 } ] }""", "bad[0] has an unknown key \"weight\"")]
    [InlineData("""{ "bad": [ 3 ] }""", "bad[0] must be a string or")]
    public void A_malformed_additive_bad_phrase_is_refused_with_its_index(string json, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(json));

        Assert.StartsWith(reason, error.Message);
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
