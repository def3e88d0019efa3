using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;
using MimeKit;

namespace MailGateway.Scl.Model.Tests;

/// <summary>
/// Why a message got its SCL (<see cref="SclModel.Explain"/>): the shares add up to the margin the scorer uses, the
/// tokens named are words of the message, and fixtures read the way they were labelled.
/// </summary>
public sealed class SclExplanationTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    private static IEnumerable<string> FixtureFiles(string folder) =>
        Directory.GetFiles(ShippedModelFixture.FixturePath(folder)).Order(StringComparer.Ordinal);

    private static MessageFeatures Features(string path) => FeatureExtractor.Extract(MimeMessage.Load(path));

    [Fact]
    public void The_reasons_and_the_bias_add_up_to_the_margin_the_scorer_uses()
    {
        foreach (var path in FixtureFiles("obvious-spam").Concat(FixtureFiles("obvious-ham")))
        {
            var features = Features(path);
            var explanation = fixture.Model.Explain(features);

            Assert.NotNull(explanation);
            var sum = explanation.Bias + explanation.Reasons.Sum(r => r.Margin) + explanation.UnexplainedMargin;
            Assert.Equal(fixture.Model.Margin(features), explanation.Margin, 9);
            Assert.True(Math.Abs(sum - explanation.Margin) < 1e-6, $"{Path.GetFileName(path)}: reasons add to {sum}, margin {explanation.Margin}");
            var score = fixture.Scorer.Score(features);
            Assert.Equal(score.Scl, explanation.Scl);
            Assert.Equal(score.LogOdds, explanation.LogOdds, 9);
            Assert.All(explanation.Reasons, r => Assert.Equal(fixture.Model.Calibration.A * r.Margin, r.LogOdds, 12));
        }
    }

    [Fact]
    public void A_spam_fixtures_top_reason_points_to_spam_and_a_ham_fixtures_to_ham()
    {
        foreach (var path in FixtureFiles("obvious-spam"))
        {
            var explanation = fixture.Scorer.Explain(Features(path))!;
            var top = explanation.Reasons[0];
            Assert.True(top.LogOdds > 0.5, $"{Path.GetFileName(path)}: top reason {top}");
            Assert.StartsWith(SclReasonWords.Of(top), LinearWords(explanation), StringComparison.Ordinal);
        }

        foreach (var path in FixtureFiles("obvious-ham"))
        {
            var explanation = fixture.Scorer.Explain(Features(path))!;
            var top = explanation.Reasons[^1];
            Assert.True(top.LogOdds < -0.5, $"{Path.GetFileName(path)}: top reason {top}");
            Assert.StartsWith("toward ham: " + SclReasonWords.Of(top), LinearWords(explanation), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_tokens_named_are_words_of_the_subject_and_the_text_of_the_message()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("promo@deals.example"));
        message.To.Add(MailboxAddress.Parse("someone@example.org"));
        message.Subject = "WINNER!!! Claim your FREE prize today";
        message.Body = new TextPart("plain")
        {
            Text = "Congratulations, you won a free prize. Click http://claim.prize.example/now to claim your cash today!!!",
        };
        var features = FeatureExtractor.Extract(message);

        var explanation = fixture.Model.Explain(features)!;

        var subjectWords = new HashSet<string>(["winner", "claim", "your", "free", "prize", "today"]);
        var subject = Assert.Single(explanation.Reasons, r => r.Feature == "the subject");
        Assert.NotEmpty(subject.Tokens);
        Assert.All(subject.Tokens, t => Assert.Contains(t, subjectWords));
        var text = (message.Subject + " " + features.BodyText).ToLowerInvariant();
        var words = Assert.Single(explanation.Reasons, r => r.Feature == "words of the subject and body");
        Assert.NotEmpty(words.Tokens);
        Assert.All(words.Tokens, t => Assert.All(t.Split(' '), w => Assert.Contains(w, text, StringComparison.Ordinal)));
        Assert.Contains(explanation.Reasons, r => r.Feature == "1 URL");
        Assert.Contains(explanation.Reasons, r => r.Feature == "no X-Mailer or User-Agent");
        Assert.All(explanation.Reasons, r => Assert.NotEqual(0, r.Margin));
    }

    [Fact]
    public void The_words_name_the_reasons_with_their_share_in_log_odds()
    {
        var path = FixtureFiles("obvious-spam").First();
        var explanation = fixture.Scorer.Explain(Features(path))!;
        var top = explanation.TowardSpam(SclReasonWords.Count);

        var words = LinearWords(explanation);

        Assert.Equal(string.Join(", ", top.Select(SclReasonWords.Of)), words);
        Assert.Matches(@"^[^()]+( \(\+\d+\.\d\))", words);
        Assert.Equal(
            "the subject: 'free', 'money' (+2.1)",
            SclReasonWords.Of(new SclReason("the subject", 2.5, 2.1, ["free", "money"])));
        Assert.Equal("no Message-ID (-0.4)", SclReasonWords.Of(new SclReason("no Message-ID", -0.5, -0.4, [])));
    }

    [Fact]
    public void An_ensemble_is_explained_by_its_linear_part_and_says_so()
    {
        var files = CorpusSplit.EnumerateMessages(ShippedModelFixture.FixturePath("obvious-spam")).Select(p => new LabeledFile(p, true, "fixtures"))
            .Concat(CorpusSplit.EnumerateMessages(ShippedModelFixture.FixturePath("obvious-ham")).Select(p => new LabeledFile(p, false, "fixtures")))
            .ToList();
        var model = new SclTrainer().Train(files, [], new SclTrainingOptions { Seed = 3, Learner = SclLearner.Ensemble, TreeMinimumSlotCount = 2 });
        Assert.Equal(2, model.CompiledMemberCount);

        foreach (var file in files.Take(4))
        {
            var features = Features(file.Path);
            var explanation = model.Explain(features)!;

            Assert.True(explanation.LinearPartOnly);
            Assert.NotEqual(0, explanation.UnexplainedMargin);
            Assert.Equal(model.Margin(features), explanation.Margin, 9);
            Assert.True(Math.Abs(explanation.Bias + explanation.Reasons.Sum(r => r.Margin) + explanation.UnexplainedMargin - explanation.Margin) < 1e-6);
            Assert.Matches(@"; plus the trees' part \([+-]\d+\.\d\), not broken down$", SclReasonWords.Of(explanation));
        }
    }

    // The reasons in words without the shipped Ensemble's last part ("; plus the trees' part (+x), not broken down"),
    // which An_ensemble_is_explained_by_its_linear_part_and_says_so checks.
    private static string LinearWords(SclExplanation explanation)
    {
        var words = SclReasonWords.Of(explanation);
        return explanation.LinearPartOnly ? words[..words.LastIndexOf("; plus the trees' part (", StringComparison.Ordinal)] : words;
    }
}

public sealed class WordsShownTests
{
    [Theory]
    [InlineData("\n", null)]
    [InlineData("free \n", "free")]
    [InlineData("\n prize", "prize")]
    [InlineData("free prize", "free prize")]
    public void The_line_break_between_subject_and_body_is_never_shown_as_a_word(string ngram, string? shown) =>
        Assert.Equal(shown, SclReasonNames.WordsShown(ngram));
}
