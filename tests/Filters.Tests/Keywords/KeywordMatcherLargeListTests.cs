using System.Text;
using MailGateway.Filters.Keywords;

namespace MailGateway.Filters.Tests.Keywords;

/// <summary>
/// 10,000 phrases that share prefixes and suffixes heavily, checked against a naive matcher over the same
/// normalisation. Correctness only: timing belongs to bench/keywords.sh.
/// </summary>
public sealed class KeywordMatcherLargeListTests
{
    private const int PhraseCount = 10_000;

    private static readonly string[] Syllables = ["ka", "ra", "mo", "ne", "fre", "e", "pil", "lo", "sa", "le", "ä", "ß", "ки"];

    [Fact]
    public void Ten_thousand_phrases_find_exactly_what_a_naive_search_finds()
    {
        var random = new Random(5);
        var phrases = new HashSet<string>(StringComparer.Ordinal);
        while (phrases.Count < PhraseCount)
        {
            phrases.Add(RandomPhrase(random));
        }

        var all = phrases.ToArray();
        var good = all.Where((_, i) => i % 10 == 0).ToArray();
        var bad = all.Where((_, i) => i % 10 != 0).ToArray();
        var matcher = new KeywordMatcher(good, bad);
        Assert.Equal(good.Length, matcher.GoodCount);
        Assert.Equal(bad.Length, matcher.BadCount);

        // Texts made of the same syllables, with some phrases planted in upper case with doubled spaces.
        for (var t = 0; t < 40; t++)
        {
            var text = RandomText(random, all);

            var expected = NaiveFind(text, all).ToHashSet();
            var actual = matcher.FindAll(text).Select(m => (m.Phrase, m.Index)).ToHashSet();

            Assert.Equal(expected.OrderBy(x => x.Index).ThenBy(x => x.Item1, StringComparer.Ordinal),
                actual.OrderBy(x => x.Index).ThenBy(x => x.Item1, StringComparer.Ordinal));
            Assert.NotEmpty(expected);
        }
    }

    [Fact]
    public void Every_one_of_ten_thousand_phrases_is_found_on_its_own()
    {
        var phrases = Enumerable.Range(0, PhraseCount).Select(i => $"word{i} next{i % 97}").ToArray();
        var matcher = new KeywordMatcher([], phrases);

        foreach (var phrase in phrases)
        {
            var match = matcher.FindFirst($"Before {phrase.ToUpperInvariant()}, after");
            Assert.Equal(phrase, match?.Phrase);
            Assert.Equal(7, match?.Index);
        }

        Assert.Null(matcher.FindFirst("word1 next2 word10 next11x word100next3"));
    }

    private static string RandomPhrase(Random random)
    {
        var words = random.Next(1, 4);
        var builder = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
            {
                builder.Append(' ');
            }

            var syllables = random.Next(1, 4);
            for (var s = 0; s < syllables; s++)
            {
                builder.Append(Syllables[random.Next(Syllables.Length)]);
            }
        }

        return builder.ToString();
    }

    private static string RandomText(Random random, string[] phrases)
    {
        var builder = new StringBuilder();
        while (builder.Length < 3000)
        {
            if (random.Next(8) == 0)
            {
                builder.Append(phrases[random.Next(phrases.Length)].ToUpperInvariant().Replace(" ", "  ", StringComparison.Ordinal));
            }
            else
            {
                var syllables = random.Next(1, 4);
                for (var s = 0; s < syllables; s++)
                {
                    builder.Append(Syllables[random.Next(Syllables.Length)]);
                }
            }

            builder.Append(random.Next(6) switch
            {
                0 => ", ",
                1 => "\n",
                2 => "-",
                _ => " ",
            });
        }

        return builder.ToString();
    }

    /// <summary>Every (phrase, index) where the lower-cased, space-collapsed text has the phrase between word boundaries.</summary>
    private static IEnumerable<(string Phrase, int Index)> NaiveFind(string text, string[] phrases)
    {
        var (haystack, map) = CollapsedText.Of(text);
        foreach (var phrase in phrases)
        {
            var lowered = phrase.ToLowerInvariant();
            for (var at = haystack.IndexOf(lowered, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(lowered, at + 1, StringComparison.Ordinal))
            {
                var end = at + lowered.Length;
                var leftOk = at == 0 || !char.IsLetterOrDigit(haystack[at - 1]);
                var rightOk = end == haystack.Length || !char.IsLetterOrDigit(haystack[end]);
                if (leftOk && rightOk)
                {
                    yield return (phrase, map[at]);
                }
            }
        }
    }
}
