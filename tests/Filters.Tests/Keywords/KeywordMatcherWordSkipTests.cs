using System.Text;
using MailGateway.Filters.Keywords;

namespace MailGateway.Filters.Tests.Keywords;

/// <summary>
/// The matcher skips the rest of a word while no phrase is under way. These texts put phrases everywhere a skip could
/// go wrong (glued to the end or start of other words, after punctuation, non-ASCII letters and digits, phrases that
/// begin or end with a non-word character) and compare every match with a naive search.
/// </summary>
public sealed class KeywordMatcherWordSkipTests
{
    private static readonly string[] Phrases =
    [
        "free money", "money", "act now!", "$$$", "100% free", "risk-free investment", "e", "ab", "b", "xyz abc",
        "ça va", "straße", "-off", "deal-", "won",
    ];

    private static readonly string[] Pieces =
    [
        "free", "money", "act", "now", "!", "$", "$$", "100", "%", "risk", "-", "investment", "e", "a", "b", "ab",
        "xyz", "abc", "ça", "va", "straße", "off", "deal", "won", "wonder", "x", "é", "9", "_", ".", ",",
    ];

    [Fact]
    public void Matches_are_those_of_a_naive_search_wherever_phrases_touch_other_words()
    {
        var matcher = new KeywordMatcher([], Phrases);
        var random = new Random(11);
        var found = 0;
        for (var t = 0; t < 300; t++)
        {
            var text = RandomText(random);
            var expected = NaiveFind(text).OrderBy(m => m.Index).ThenBy(m => m.Phrase, StringComparer.Ordinal).ToList();
            var actual = matcher.FindAll(text).Select(m => (m.Phrase, m.Index))
                .OrderBy(m => m.Index).ThenBy(m => m.Phrase, StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"text: {text}\nexpected: {string.Join(" ", expected)}\nactual:   {string.Join(" ", actual)}");
            found += expected.Count;
        }

        Assert.True(found > 300, $"only {found} matches in the generated texts");
    }

    [Theory]
    [InlineData("wonderful ab", "ab", 10)]
    [InlineData("xxxxxxxxxxxxxxxxxxxxwon", null, -1)]
    [InlineData("xxxxxxxxxxxxxxxxxxxx won", "won", 21)]
    [InlineData("abcdefghij$$$", "$$$", 10)]
    [InlineData("abcdefghij-off", "-off", 10)]
    [InlineData("abcdefghijé won", "won", 12)]
    [InlineData("abcdefghij_won", null, -1)]
    public void A_phrase_after_a_long_word_is_found_only_at_a_boundary(string text, string? phrase, int index)
    {
        var match = new KeywordMatcher([], Phrases).FindFirst(text);
        Assert.Equal(phrase, match?.Phrase);
        Assert.Equal(index, match?.Index ?? -1);
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 40);
        for (var i = 0; i < count; i++)
        {
            builder.Append(random.Next(10) == 0 ? Phrases[random.Next(Phrases.Length)].ToUpperInvariant() : Pieces[random.Next(Pieces.Length)]);
            builder.Append(random.Next(4) switch
            {
                0 => "",
                1 => "  ",
                _ => " ",
            });
        }

        return builder.ToString();
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Every (phrase, index) in the lower-cased, space-collapsed text, with a boundary at each word-character end.</summary>
    private static IEnumerable<(string Phrase, int Index)> NaiveFind(string text)
    {
        var (haystack, map) = CollapsedText.Of(text);
        foreach (var phrase in Phrases)
        {
            for (var at = haystack.IndexOf(phrase, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(phrase, at + 1, StringComparison.Ordinal))
            {
                var end = at + phrase.Length;
                var leftOk = !IsWord(phrase[0]) || at == 0 || !IsWord(haystack[at - 1]);
                var rightOk = !IsWord(phrase[^1]) || end == haystack.Length || !IsWord(haystack[end]);
                if (leftOk && rightOk)
                {
                    yield return (phrase, map[at]);
                }
            }
        }
    }
}
