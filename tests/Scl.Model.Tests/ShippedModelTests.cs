using MailGateway.Scl.Model.Scoring;
using MimeKit;

namespace MailGateway.Scl.Model.Tests;

/// <summary>The model the gateway ships with: it loads from beside the binaries and sorts corpus fixtures correctly.</summary>
public sealed class ShippedModelTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void Shipped_model_is_copied_beside_the_binaries_and_loads()
    {
        Assert.True(File.Exists(SclModel.DefaultPath), $"missing {SclModel.DefaultPath}");
        Assert.Equal(12, fixture.Model.Id.Length);
        Assert.Contains(fixture.Model.Info.Learner, new[] { "Linear", "Trees", "Ensemble" });
        Assert.Equal(9, fixture.Model.Mapping.CutPoints.Count);
        Assert.True(fixture.Model.Info.TrainingSpam > 1000 && fixture.Model.Info.TrainingHam > 1000);
    }

    [Fact]
    public void Shipped_model_states_what_each_scl_means_junk_at_about_half_a_percent_of_ham_and_archive_above_all_ham()
    {
        var ham = fixture.Model.Info.OutOfFoldHamAtOrAbove;
        var spam = fixture.Model.Info.OutOfFoldSpamAtOrAbove;

        Assert.Equal(9, ham.Length);
        Assert.Equal(9, spam.Length);
        for (var scl = 1; scl <= 6; scl++)
        {
            Assert.InRange(ham[scl - 1], 0, SclMapping.HamShares[scl - 1]);
        }

        Assert.InRange(ham[3], 0.004, 0.005);
        Assert.Equal(0, ham[6]);
        Assert.True(spam[3] > 0.95, $"only {spam[3]:P2} of out-of-fold spam at SCL >= 4");
    }

    [Fact]
    public async Task Obvious_spam_fixtures_score_at_or_above_scl_4()
    {
        foreach (var path in Directory.GetFiles(ShippedModelFixture.FixturePath("obvious-spam")))
        {
            await using var stream = File.OpenRead(path);
            var score = await fixture.Scorer.ScoreAsync(stream, CancellationToken.None);
            Assert.True(score.Scl >= 4, $"{Path.GetFileName(path)}: SCL {score.Scl}, p={score.Probability}");
        }
    }

    [Fact]
    public async Task Obvious_ham_fixtures_score_below_scl_4()
    {
        foreach (var path in Directory.GetFiles(ShippedModelFixture.FixturePath("obvious-ham")))
        {
            await using var stream = File.OpenRead(path);
            var score = await fixture.Scorer.ScoreAsync(stream, CancellationToken.None);
            Assert.True(score.Scl < 4, $"{Path.GetFileName(path)}: SCL {score.Scl}, p={score.Probability}");
        }
    }

    [Fact]
    public async Task Scoring_a_parsed_message_gives_the_same_result_as_scoring_its_bytes()
    {
        var path = Directory.GetFiles(ShippedModelFixture.FixturePath("obvious-spam"))[0];
        await using var stream = File.OpenRead(path);
        var fromStream = await fixture.Scorer.ScoreAsync(stream, CancellationToken.None);
        var fromParsed = fixture.Scorer.Score(await MimeMessage.LoadAsync(path));
        Assert.Equal(fromStream.Probability, fromParsed.Probability, 9);
        Assert.Equal(fromStream.Scl, fromParsed.Scl);
    }

    [Fact]
    public async Task Concurrent_scoring_from_many_threads_matches_sequential_scoring()
    {
        var files = Directory.GetFiles(ShippedModelFixture.FixturePath(), "*", SearchOption.AllDirectories);
        var sequential = new double[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            await using var s = File.OpenRead(files[i]);
            sequential[i] = (await fixture.Scorer.ScoreAsync(s, CancellationToken.None)).Probability;
        }

        var parallel = new double[files.Length * 8];
        await Parallel.ForAsync(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await using var s = File.OpenRead(files[i % files.Length]);
            parallel[i] = (await fixture.Scorer.ScoreAsync(s, ct)).Probability;
        });

        for (var i = 0; i < parallel.Length; i++)
        {
            Assert.Equal(sequential[i % files.Length], parallel[i], 9);
        }
    }
}
