using MailGateway.Filters.Keywords;

namespace MailGateway.Filters.Tests.Keywords;

public sealed class KeywordMatcherTests
{
    private static KeywordMatcher Bad(params string[] phrases) => new([], phrases);

    [Theory]
    [InlineData("Get FREE  money now")]
    [InlineData("free money")]
    [InlineData("FREE MONEY!!!")]
    [InlineData("(free money)")]
    [InlineData("free\tmoney")]
    [InlineData("free\r\n  money")]
    [InlineData("free\u00A0money")]
    [InlineData("free\u00ADmoney? no: free \u200Bmoney")]
    [InlineData("\"Free Money\", they said")]
    public void Phrase_matches_case_insensitively_across_any_white_space(string text)
    {
        var match = Bad("free money").FindFirst(text);

        Assert.NotNull(match);
        Assert.Equal("free money", match.Phrase);
        Assert.Equal(KeywordKind.Bad, match.Kind);
    }

    [Theory]
    [InlineData("freemoney")]
    [InlineData("carefree money")]
    [InlineData("free moneyback")]
    [InlineData("free_money")]
    [InlineData("free-money")]
    [InlineData("free. money")]
    [InlineData("free2 money")]
    [InlineData("free mon\u00E9y")]
    [InlineData("")]
    public void Phrase_does_not_match_inside_words_or_across_punctuation(string text)
    {
        Assert.Null(Bad("free money").FindFirst(text));
    }

    [Fact]
    public void Match_reports_the_position_and_length_in_the_original_text()
    {
        var text = "Hello, get FREE \t money now";

        var match = Bad("free money").FindFirst(text)!;

        Assert.Equal(11, match.Index);
        Assert.Equal("FREE \t money", text.Substring(match.Index, match.Length));
        Assert.Equal(KeywordMatchPart.Text, match.Part);
    }

    [Theory]
    [InlineData("100% free", "now 100% free!", true)]
    [InlineData("100% free", "now 100% freedom", false)]
    [InlineData("$$$", "earn$$$fast", true)]
    [InlineData("act now!", "ACT NOW!!", true)]
    [InlineData("act now!", "react now!", false)]
    [InlineData("c.o.d.", "pay c.o.d. today", true)]
    [InlineData("viagra", "V1agra viagra.", true)]
    [InlineData("viagra", "viagras", false)]
    public void Boundaries_apply_only_at_word_character_ends_of_a_phrase(string phrase, string text, bool matches)
    {
        Assert.Equal(matches, Bad(phrase).FindFirst(text) is not null);
    }

    [Theory]
    [InlineData("größe", "DIE GRÖSSE", false)]
    [InlineData("größe", "Die GRÖßE zählt", true)]
    [InlineData("привет мир", "ПРИВЕТ   Мир!", true)]
    [InlineData("привет", "приветствую", false)]
    [InlineData("café", "au CAFÉ ce soir", true)]
    [InlineData("café", "cafés", false)]
    [InlineData("ελλάδα", "ΕΛΛΆΔΑ", true)]
    [InlineData("東京", "東京タワー", false)]
    [InlineData("東京", "「東京」", true)]
    [InlineData("𐐨𐐯", "𐐀𐐇 x", true)]
    public void Unicode_letters_are_folded_and_are_word_characters(string phrase, string text, bool matches)
    {
        Assert.Equal(matches, Bad(phrase).FindFirst(text) is not null);
    }

    [Fact]
    public void Overlapping_and_nested_phrases_are_all_found()
    {
        var matcher = Bad("free", "free money", "money now", "money", "get free money now");

        var found = matcher.FindAll("Get free money now").Select(m => m.Phrase).ToList();

        Assert.Equal(["free", "free money", "money", "get free money now", "money now"], found);
    }

    [Fact]
    public void Phrase_sharing_a_suffix_with_a_failed_longer_phrase_is_found()
    {
        // "money now" fails at 'x'; its failure link must lead to "now" rather than restarting after it.
        var matcher = Bad("money now please", "now");

        var match = matcher.FindFirst("money now plx");

        Assert.Equal("now", match?.Phrase);
    }

    [Fact]
    public void Find_first_is_the_occurrence_that_ends_first()
    {
        var matcher = Bad("cheap meds", "buy");

        Assert.Equal("buy", matcher.FindFirst("buy cheap meds")?.Phrase);
        Assert.Equal("cheap meds", matcher.FindFirst("cheap meds to buy")?.Phrase);
    }

    [Fact]
    public void Good_phrase_wins_over_a_bad_one_wherever_it_is()
    {
        var matcher = new KeywordMatcher(["project phoenix"], ["free money"]);

        var match = matcher.Evaluate("free money for project Phoenix");

        Assert.NotNull(match);
        Assert.Equal(KeywordKind.Good, match.Kind);
        Assert.Equal(KeywordMatch.GoodScl, match.Scl);
        Assert.Equal("project phoenix", match.Phrase);
    }

    [Fact]
    public void Bad_phrase_alone_forces_scl_9()
    {
        var matcher = new KeywordMatcher(["project phoenix"], ["free money"]);

        var match = matcher.Evaluate("free money, and more free money");

        Assert.Equal(KeywordKind.Bad, match?.Kind);
        Assert.Equal(9, match?.Scl);
        Assert.Equal(0, match?.Index);
    }

    [Fact]
    public void Good_phrase_in_the_body_wins_over_a_bad_phrase_in_the_subject()
    {
        var matcher = new KeywordMatcher(["project phoenix"], ["free money"]);

        var match = matcher.Evaluate("FREE MONEY", "minutes of the Project Phoenix meeting");

        Assert.Equal(KeywordKind.Good, match?.Kind);
        Assert.Equal(KeywordMatchPart.Body, match?.Part);
    }

    [Fact]
    public void Bad_phrase_in_the_subject_is_reported_with_its_part()
    {
        var matcher = new KeywordMatcher(["project phoenix"], ["free money"]);

        var match = matcher.Evaluate("FREE MONEY", "hello");

        Assert.Equal(KeywordKind.Bad, match?.Kind);
        Assert.Equal(KeywordMatchPart.Subject, match?.Part);
    }

    [Fact]
    public void Phrase_does_not_span_subject_and_body()
    {
        Assert.Null(Bad("free money").Evaluate("free", "money"));
    }

    [Fact]
    public void No_phrase_means_no_verdict()
    {
        var matcher = new KeywordMatcher(["project phoenix"], ["free money"]);

        Assert.Null(matcher.Evaluate("Quarterly report", "Numbers attached."));
        Assert.Null(matcher.Evaluate(null, null));
        Assert.Null(KeywordMatcher.Empty.Evaluate("free money", "free money"));
    }

    [Fact]
    public void Phrase_on_both_lists_counts_as_good()
    {
        var matcher = new KeywordMatcher(["Free Money"], ["free   money"]);

        Assert.Equal(KeywordKind.Good, matcher.Evaluate("free money")?.Kind);
        Assert.Equal(1, matcher.GoodCount);
        Assert.Equal(1, matcher.BadCount);
    }

    [Fact]
    public void Duplicates_after_normalisation_count_once()
    {
        var matcher = Bad("free money", "FREE MONEY", " free\tmoney ", "viagra");

        Assert.Equal(2, matcher.BadCount);
        Assert.Equal(0, matcher.GoodCount);
    }

    [Theory]
    [InlineData("   ", "bad[1] is empty.")]
    [InlineData("\u200B", "bad[1] is empty.")]
    public void Empty_phrase_is_refused_with_its_position(string phrase, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Bad("ok", phrase));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Phrase_longer_than_the_limit_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KeywordMatcher([new string('a', 257)], Array.Empty<string>()));

        Assert.StartsWith("good[0] is 257 characters long; the limit is 256.", error.Message);
    }

    [Fact]
    public void Phrase_of_the_maximum_length_matches_with_boundaries()
    {
        var phrase = string.Join(' ', Enumerable.Repeat("abcdefg", 32)) + "h";
        Assert.Equal(KeywordMatcher.MaxPhraseLength, phrase.Length);
        var matcher = Bad(phrase);

        Assert.NotNull(matcher.FindFirst("x " + phrase.ToUpperInvariant() + " y"));
        Assert.Null(matcher.FindFirst("x" + phrase));
    }

    [Fact]
    public void Good_beats_forcing_bad_which_beats_the_largest_additive_bad()
    {
        var matcher = new KeywordMatcher(["project phoenix"],
            [new BadPhrase("free money", 2), new BadPhrase("cheap meds", 5), new BadPhrase("claim your prize", 0)]);

        Assert.Equal(5, matcher.Evaluate("free money", "cheap meds")?.SclAdd);
        Assert.Equal(KeywordMatchPart.Body, matcher.Evaluate("free money", "cheap meds")?.Part);
        Assert.Equal(2, matcher.Evaluate("free money, and more free money")?.SclAdd);
        Assert.Equal("claim your prize", matcher.Evaluate("free money", "cheap meds; claim your prize")?.Phrase);
        Assert.Equal("claim your prize", matcher.Evaluate("cheap meds claim your prize free money")?.Phrase);
        Assert.Equal(KeywordKind.Good, matcher.Evaluate("claim your prize", "project phoenix")?.Kind);
    }

    [Fact]
    public void An_addition_outside_1_to_9_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KeywordMatcher([], [new BadPhrase("x", 10)]));

        Assert.StartsWith("bad[0] adds 10 to the SCL", error.Message);
    }
}
