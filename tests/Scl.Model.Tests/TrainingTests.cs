using System.Text;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;

namespace MailGateway.Scl.Model.Tests;

/// <summary>Training end to end on the fixture folders: small, so it runs in seconds.</summary>
public sealed class TrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scl-train-").FullName;

    [Fact]
    public void Training_on_a_tiny_folder_writes_a_model_that_loads_and_separates_its_own_data()
    {
        var files = Fixtures();
        var model = new SclTrainer().Train(files, [], new SclTrainingOptions { Seed = 7, Learner = SclLearner.Linear });
        var path = Path.Combine(_dir, "tiny.zip");
        model.Save(path);

        var loaded = SclModel.Load(path);
        Assert.Equal("Linear", loaded.Info.Learner);
        Assert.Equal(files.Count(f => f.IsSpam), loaded.Info.TrainingSpam);
        Assert.Equal(SclMapping.Default.CutPoints, loaded.Mapping.CutPoints);

        // A freshly trained featurizer (its own min-max scales) is featurised outside ML.NET too, slot for slot the same.
        Assert.True(loaded.FeaturizerCompiled);
        var rows = files.Select(f => ModelInput.From(FeatureExtractor.Extract(MimeKit.MimeMessage.Load(f.Path)))).ToList();
        Assert.Null(loaded.CompiledFeaturesMismatch(rows));

        var scorer = new SclScorer(loaded);
        var spam = files.Where(f => f.IsSpam).Select(f => Score(scorer, f.Path)).Average();
        var ham = files.Where(f => !f.IsSpam).Select(f => Score(scorer, f.Path)).Average();
        Assert.True(spam > ham, $"mean spam p {spam} should exceed mean ham p {ham}");
    }

    [Fact]
    public void Cross_validation_only_gives_every_training_file_an_out_of_fold_margin_in_order()
    {
        var files = Fixtures();
        var (results, scores) = new SclTrainer().CrossValidate(files, new SclTrainingOptions { Seed = 7, Learner = SclLearner.Linear });

        var result = Assert.Single(results);
        Assert.Equal(("Linear", "cross-validation", files.Count), (result.Learner, result.On, result.N));
        Assert.Equal(files.Select(f => (f.Path, f.IsSpam)), scores.Select(s => (s.Path, s.IsSpam)));
        Assert.All(scores, s => Assert.Equal([SclLearner.Linear], s.Margins.Keys));
        Assert.True(scores.Select(s => s.Margins[SclLearner.Linear]).Distinct().Count() > 1, "margins should differ between messages");
    }

    [Fact]
    public void Training_is_reproducible_with_the_same_seed()
    {
        var files = Fixtures();
        var options = new SclTrainingOptions { Seed = 11, Learner = SclLearner.Linear };
        var a = new SclScorer(new SclTrainer().Train(files, [], options));
        var b = new SclScorer(new SclTrainer().Train(files, [], options));
        foreach (var f in files.Take(6))
        {
            Assert.Equal(Score(a, f.Path), Score(b, f.Path), 9);
        }
    }

    [Fact]
    public void An_ensemble_scores_the_same_after_save_and_load_and_weighs_both_members()
    {
        var files = Fixtures();
        var model = new SclTrainer().Train(files, [], new SclTrainingOptions { Seed = 3, Learner = SclLearner.Ensemble, TreeMinimumSlotCount = 2 });
        var path = Path.Combine(_dir, "ensemble.zip");
        model.Save(path);
        var loaded = SclModel.Load(path);

        Assert.Equal("Ensemble", loaded.Info.Learner);
        Assert.Equal(2, loaded.Info.MemberWeights.Length);
        Assert.All(loaded.Info.MemberWeights, w => Assert.True(w > 0));
        var before = new SclScorer(model);
        var after = new SclScorer(loaded);
        foreach (var f in files)
        {
            Assert.Equal(Score(before, f.Path), Score(after, f.Path), 9);
        }
    }

    [Fact]
    public void A_model_file_of_the_previous_format_is_refused_with_InvalidDataException()
    {
        var path = Path.Combine(_dir, "old.zip");
        using (var zip = new System.IO.Compression.ZipArchive(File.Create(path), System.IO.Compression.ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("scl.json").Open()))
        {
            // Format 3: the features before the bulk evidence tokens (2: before the subject's own tokens, 1: before the shared featurizer).
            w.Write($$"""{ "FormatVersion": {{SclModelInfo.CurrentFormatVersion - 1}}, "Learner": "Ensemble" }""");
        }

        var ex = Assert.Throws<InvalidDataException>(() => SclModel.Load(path));
        Assert.Contains($"format {SclModelInfo.CurrentFormatVersion - 1}, this build reads {SclModelInfo.CurrentFormatVersion}", ex.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_refused_with_InvalidDataException()
    {
        var path = Path.Combine(_dir, "junk.zip");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("PK but not really"));
        Assert.Throws<InvalidDataException>(() => SclModel.Load(path));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<LabeledFile> Fixtures() =>
        CorpusSplit.EnumerateMessages(ShippedModelFixture.FixturePath("obvious-spam")).Select(p => new LabeledFile(p, true, "fixtures"))
            .Concat(CorpusSplit.EnumerateMessages(ShippedModelFixture.FixturePath("obvious-ham")).Select(p => new LabeledFile(p, false, "fixtures")))
            .ToList();

    private static double Score(SclScorer scorer, string path)
    {
        using var stream = File.OpenRead(path);
        return scorer.ScoreAsync(stream, CancellationToken.None).GetAwaiter().GetResult().Probability;
    }
}
