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
    /// <c>--tree-rounds N --tree-learning-rate X</c>: the LightGBM member's boosting rounds and learning rate, the same
    /// for <c>train</c> and <c>eval --cv/--loso</c>, so the model measured is the model trained.
    /// </summary>
    public static SclTrainingOptions WithTreeSettings(SclTrainingOptions options, CliArguments arguments)
    {
        var rounds = arguments.GetInt("tree-rounds") ?? options.TreeIterations;
        var rate = options.TreeLearningRate;
        if (arguments.Get("tree-learning-rate") is { } text
            && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rate))
        {
            throw new CliUsageException($"--tree-learning-rate: '{text}' is not a number");
        }

        if (rounds < 1 || rate is <= 0 or > 1)
        {
            throw new CliUsageException("--tree-rounds must be at least 1 and --tree-learning-rate in (0, 1]");
        }

        return options with { TreeIterations = rounds, TreeLearningRate = rate };
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
