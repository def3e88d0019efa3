using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Scoring.Compiled;
using MailGateway.Scl.Model.Training;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailGateway.Scl.Model.Tests;

/// <summary>
/// The shipped model featurises messages with <see cref="CompiledTextFeaturizer"/>, not ML.NET: its <c>Features</c>
/// vector must be ML.NET's slot for slot on real messages and on strings chosen to break it, and a featurizer that
/// differs from ML.NET's must be refused at load (the model then featurises with ML.NET).
/// </summary>
public sealed class CompiledTextFeaturizerTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void The_shipped_model_featurises_outside_ml_net()
    {
        Assert.True(fixture.Model.FeaturizerCompiled);
        Assert.Equal(fixture.Model.Info.MemberWeights.Length, fixture.Model.CompiledMemberCount);
    }

    [Fact]
    public async Task Compiled_features_equal_ml_net_features_in_every_slot_for_every_fixture_message()
    {
        var files = FixtureMessages();
        Assert.True(files.Count >= 40, $"{files.Count} fixture messages");
        var rows = new List<ModelInput>();
        foreach (var path in files)
        {
            rows.Add(ModelInput.From(FeatureExtractor.Extract(await MimeMessage.LoadAsync(path))));
        }

        Assert.Null(fixture.Model.CompiledFeaturesMismatch(rows));
    }

    [Fact]
    public void Compiled_features_equal_ml_net_features_on_tricky_text()
    {
        string[] texts =
        [
            "", " ", "  ", "\n", "a", "A", "I", "!", "!!!", "a b", " a ", "a  b", "a\tb", "a\nb", "abc", "abcd", "abcde",
            "ÉCOLE élève Ærø ǅemal ǲ Ⅷ ﬁ ﬀ Σσς", "e\u0301\u0301\u0301", "\u0300start", "\uD800", "\uDFFF\uD800", "😀", "😀😀😀😀",
            "\0\0\0\0", "\uFFFF\uFFFE\uFEFF", "don't can't won't", "U.S.A. e.g. i.e.", "1.5 2,5 3'000 ٣ ૩ ௩", "—–-‐‑‒―",
            "你好世界 こんにちは 안녕하세요", "ｆｕｌｌｗｉｄｔｈ ＡＢＣ", "http://x.example/a?b=c&d=e#f", "<html><b>bold</b></html>",
            new string('x', 5000), new string(' ', 300) + "padded" + new string(' ', 300), string.Concat(Enumerable.Repeat("ab ", 2000)),
        ];
        var rows = texts.Select((t, i) => new ModelInput
        {
            Text = t,
            Meta = i % 2 == 0 ? t : "mailer:none " + t,
            Numbers = Enumerable.Range(0, ModelInput.NumberCount).Select(n => (float)((i + n) % 7) / 3).ToArray(),
        }).ToList();

        Assert.Null(fixture.Model.CompiledFeaturesMismatch(rows));
    }

    [Fact]
    public async Task Featurising_a_message_allocates_nothing_once_its_scratch_is_warm()
    {
        var featurizer = fixture.Model.CompiledFeaturizer;
        Assert.NotNull(featurizer);
        var row = ModelInput.From(FeatureExtractor.Extract(await MimeMessage.LoadAsync(FixtureMessages()[^1])));
        var scratch = featurizer.CreateScratch();
        featurizer.Featurize(row, scratch);
        Assert.True(scratch.Count > 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            featurizer.Featurize(row, scratch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static TheoryData<string> Perturbations => ["scale a value", "zero a value", "add a slot"];

    [Theory]
    [MemberData(nameof(Perturbations))]
    public async Task A_compiled_featurizer_that_differs_from_ml_net_is_refused_at_load_and_ml_net_featurises(string perturbation)
    {
        Action<FeatureScratch> perturb = perturbation switch
        {
            "scale a value" => s => ScaleFirst(s, 1.0001f),
            "zero a value" => s => ScaleFirst(s, 0f),
            _ => s => s.Append(s.FeaturesLength - 1, 0.5f),
        };
        var logger = new ListLogger();

        var model = SclModel.Load(File.ReadAllBytes(SclModel.DefaultPath), logger, perturb);

        Assert.False(model.FeaturizerCompiled);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("features computed by ML.NET", StringComparison.Ordinal));
        var features = FeatureExtractor.Extract(await MimeMessage.LoadAsync(FixtureMessages()[0]));
        Assert.True(Math.Abs(model.Margin(features) - model.MlNetMargin(features)) < 1e-3);
    }

    [Fact]
    public void An_unperturbed_load_logs_that_features_are_computed_outside_ml_net()
    {
        var logger = new ListLogger();

        var model = SclModel.Load(File.ReadAllBytes(SclModel.DefaultPath), logger);

        Assert.True(model.FeaturizerCompiled, string.Join("\n", logger.Entries.Select(e => e.Message)));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("computed outside ML.NET", StringComparison.Ordinal));
    }

    private static void ScaleFirst(FeatureScratch scratch, float factor)
    {
        if (scratch.Count > 0)
        {
            scratch.MutableValues[0] *= factor;
        }
    }

    /// <summary>Every .eml under the repository's tests/ folder (this project's fixtures and the gateway's corpus).</summary>
    private static List<string> FixtureMessages()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "Scl.Model.Tests")))
        {
            dir = dir.Parent;
        }

        var root = dir is null ? ShippedModelFixture.FixturePath() : Path.Combine(dir.FullName, "tests");
        return Directory.GetFiles(root, "*.eml", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
    }
}
