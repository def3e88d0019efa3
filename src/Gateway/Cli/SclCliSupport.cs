using System.Diagnostics;
using System.Globalization;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace MailGateway.Gateway.Cli;

/// <summary>What the model verbs (train, eval, score, corpus-split) share: logging to stderr, model loading, timed scoring.</summary>
internal static class SclCliSupport
{
    public static ILoggerFactory CreateLoggerFactory() =>
        new SerilogLoggerFactory(new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose, formatProvider: CultureInfo.InvariantCulture)
            .CreateLogger(), dispose: true);

    public static SclModel LoadModel(string? path, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var file = path ?? SclModel.DefaultPath;
        if (!File.Exists(file))
        {
            throw new CliUsageException($"model file not found: {file}");
        }

        try
        {
            return SclModel.Load(file, logger);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"{file}: {ex.Message}");
        }
    }

    /// <summary>
    /// The learners' settings, the same for <c>train</c> and <c>eval --cv/--loso</c>, so the model measured is
    /// the model trained: <c>--tree-rounds N</c> (at least 1), <c>--tree-learning-rate X</c> (in (0, 1]),
    /// <c>--tree-leaves N</c> (at least 2), <c>--tree-min-leaf N</c> (messages per leaf, at least 1),
    /// <c>--tree-feature-fraction X</c> (share of the slots each tree is built from, in (0, 1]) and <c>--tree-l2 X</c>
    /// (L2 regularisation of the leaf values, at least 0), <c>--tree-columns all|structural</c> (structural: the tree
    /// reads the evidence tokens and numbers, not the text n-grams) and <c>--ensemble-linear-share X|chosen</c> (the
    /// Ensemble's Linear share fixed, in [0, 1], or chosen out of fold); and the training settings measured with them:
    /// <c>--tree-min-slot-count N</c> (the tree reads slots non-zero in at least N training messages),
    /// <c>--ham-weight X</c> (each ham weighs X spam in both losses, above 0), <c>--linear-l1 X</c> and
    /// <c>--linear-l2 X</c> (the logistic regression's regularisation, at least 0), <c>--word-gram-norm X</c> and
    /// <c>--char-gram-norm X</c> (the L2 norm of the text's word and character n-gram blocks, in [0.01, 100]). Each one not given keeps
    /// <paramref name="options"/>' value.
    /// </summary>
    public static SclTrainingOptions WithTrainingSettings(SclTrainingOptions options, CliArguments arguments)
    {
        var rounds = arguments.GetInt("tree-rounds") ?? options.TreeIterations;
        var rate = Number(arguments, "tree-learning-rate") ?? options.TreeLearningRate;
        var leaves = arguments.GetInt("tree-leaves") ?? options.TreeLeaves;
        var minLeaf = arguments.GetInt("tree-min-leaf") ?? options.TreeMinimumPerLeaf;
        var fraction = Number(arguments, "tree-feature-fraction") ?? options.TreeFeatureFraction;
        var l2 = Number(arguments, "tree-l2") ?? options.TreeL2;
        if (rounds < 1 || rate is <= 0 or > 1)
        {
            throw new CliUsageException("--tree-rounds must be at least 1 and --tree-learning-rate in (0, 1]");
        }

        if (leaves < 2)
        {
            throw new CliUsageException("--tree-leaves must be at least 2");
        }

        if (minLeaf < 1)
        {
            throw new CliUsageException("--tree-min-leaf must be at least 1");
        }

        if (fraction is <= 0 or > 1)
        {
            throw new CliUsageException("--tree-feature-fraction must be in (0, 1]");
        }

        if (l2 < 0)
        {
            throw new CliUsageException("--tree-l2 must be at least 0");
        }

        var columns = arguments.Get("tree-columns") ?? (options.TreeStructuralOnly ? "structural" : "all");
        if (columns is not ("all" or "structural"))
        {
            throw new CliUsageException("--tree-columns must be all or structural");
        }

        // "chosen": out of fold, by SclTrainer.ChooseWeights.
        var share = arguments.Get("ensemble-linear-share") == "chosen"
            ? null
            : Number(arguments, "ensemble-linear-share") ?? options.EnsembleLinearShare;
        if (share is < 0 or > 1)
        {
            throw new CliUsageException("--ensemble-linear-share must be in [0, 1] or chosen");
        }

        var hamWeight = Number(arguments, "ham-weight") ?? options.HamWeight;
        var linearL1 = Number(arguments, "linear-l1") ?? options.LinearL1;
        var linearL2 = Number(arguments, "linear-l2") ?? options.LinearL2;
        var minSlots = arguments.GetInt("tree-min-slot-count") ?? options.TreeMinimumSlotCount;
        var wordNorm = Number(arguments, "word-gram-norm") ?? options.WordGramNorm;
        var charNorm = Number(arguments, "char-gram-norm") ?? options.CharGramNorm;
        if (hamWeight is <= 0 || linearL1 < 0 || linearL2 < 0)
        {
            throw new CliUsageException("--ham-weight must be above 0, --linear-l1 and --linear-l2 at least 0");
        }

        if (minSlots < 1)
        {
            throw new CliUsageException("--tree-min-slot-count must be at least 1");
        }

        // ML.NET's scale is a float and a norm below its 1e-8 floor leaves the counts unscaled: a bounded range.
        if (wordNorm is < 0.01 or > 100 || charNorm is < 0.01 or > 100)
        {
            throw new CliUsageException("--word-gram-norm and --char-gram-norm must be in [0.01, 100]");
        }

        return options with
        {
            WordGramNorm = wordNorm,
            CharGramNorm = charNorm,
            HamWeight = hamWeight,
            LinearL1 = linearL1,
            LinearL2 = linearL2,
            TreeMinimumSlotCount = minSlots,
            TreeStructuralOnly = columns == "structural",
            EnsembleLinearShare = share,
            TreeIterations = rounds,
            TreeLearningRate = rate,
            TreeLeaves = leaves,
            TreeMinimumPerLeaf = minLeaf,
            TreeFeatureFraction = fraction,
            TreeL2 = l2,
        };
    }

    /// <summary>The training settings as one line, for the logs and printed reports.</summary>
    public static string DescribeTrainingSettings(SclTrainingOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"LightGBM {o.TreeIterations} rounds at learning rate {o.TreeLearningRate}, {o.TreeLeaves} leaves, at least {o.TreeMinimumPerLeaf} per leaf, feature fraction {o.TreeFeatureFraction}, L2 {o.TreeL2}, {(o.TreeStructuralOnly ? "structural columns only" : "all columns")}, Linear share {(o.EnsembleLinearShare is { } s ? s.ToString(CultureInfo.InvariantCulture) : "chosen out of fold")}, ham weight {o.HamWeight}, Linear L1 {o.LinearL1} L2 {o.LinearL2}, text n-gram norms {o.WordGramNorm} (words) {o.CharGramNorm} (characters), tree slots in >= {o.TreeMinimumSlotCount} messages");

    private static double? Number(CliArguments arguments, string name)
    {
        if (arguments.Get(name) is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CliUsageException($"--{name}: '{text}' is not a number");
    }

    public static List<LabeledFile> Labeled(IEnumerable<string> spamDirs, IEnumerable<string> hamDirs) =>
        spamDirs.SelectMany(d => CorpusSplit.EnumerateMessages(d).Select(p => new LabeledFile(p, true, "spam")))
            .Concat(hamDirs.SelectMany(d => CorpusSplit.EnumerateMessages(d).Select(p => new LabeledFile(p, false, "ham"))))
            .ToList();

    /// <summary>
    /// Scores every file in memory on all cores and times it. Files are read before the clock starts, so the rate is
    /// parse + features + model, the in-process cost the SMTP path pays. The set is scored <see cref="WarmPasses"/>
    /// times: the first pass includes the JIT compiling the code (a running gateway has long done that), and the
    /// tiered JIT needs a few passes more to finish optimising it in the background; the last pass is reported.
    /// </summary>
    private const int WarmPasses = 4;

    public static (List<ScoredExample> Examples, int[] Bcls, ScoringRate Rate) ScoreTimed(
        SclScorer scorer, IReadOnlyList<LabeledFile> files, CancellationToken ct)
    {
        var contents = files.Select(f => File.ReadAllBytes(f.Path)).ToArray();
        var results = new ScoredExample[files.Count];
        var bcls = new int[files.Count];
        var first = TimePass(scorer, files, contents, results, bcls, ct);
        var warm = first;
        for (var pass = 1; pass < WarmPasses; pass++)
        {
            warm = TimePass(scorer, files, contents, results, bcls, ct);
        }

        return (results.ToList(), bcls, new ScoringRate(warm, first));
    }

    private static double TimePass(SclScorer scorer, IReadOnlyList<LabeledFile> files, byte[][] contents, ScoredExample[] results, int[] bcls, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, contents.Length, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var score = scorer.ScoreAsync(new MemoryStream(contents[i], writable: false), ct).GetAwaiter().GetResult();
            results[i] = new ScoredExample(files[i].IsSpam, score.LogOdds, score.Scl);
            bcls[i] = score.Features.Bulk.Bcl;
        });
        clock.Stop();
        return contents.Length / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
    }

    public static void PrintMetrics(TextWriter w, string title, BinaryMetrics m, ScoringRate rate)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(title);
        w.WriteLine(string.Format(inv, "  n {0} (spam {1}, ham {2})", m.N, m.Spam, m.Ham));
        w.WriteLine(string.Format(inv, "  AUC {0:0.00000}", m.Auc));
        w.WriteLine(string.Format(inv, "  recall at FPR <= 0.1%: {0:0.00%}   at FPR <= 1%: {1:0.00%}", m.RecallAtFpr01Percent, m.RecallAtFpr1Percent));
        w.WriteLine("  SCL >=   recall      FPR   ham");
        foreach (var row in m.SclThresholds)
        {
            w.WriteLine(string.Format(inv, "  {0,6} {1,8:0.00%} {2,8:0.000%} {3,5}", row.Threshold, row.Recall, row.FalsePositiveRate, row.FalsePositives));
        }

        w.WriteLine(string.Format(inv, "  messages/s {0:0} ({1} threads; parse + features + model, in memory; last of {3} passes, first pass {2:0})",
            rate.SteadyState, Environment.ProcessorCount, rate.FirstPass, WarmPasses));
    }
}

/// <summary>Messages per second over a set: the last pass (code compiled and optimised) and the first (JIT compiling as it goes).</summary>
internal readonly record struct ScoringRate(double SteadyState, double FirstPass);
