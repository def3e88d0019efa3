using System.Diagnostics;
using System.Globalization;
using MailGateway.Gateway.Routing;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw eval --corpus DIR --cv / --loso</c>: repeated stratified cross-validation and leave-one-source-out over
/// the training files of the shared corpus (what the shipped model trains on), printed as tables: mean and spread of
/// AUC and recall at FPR &lt;= 0.1%, 0.5%, 1%; the confusion at the thresholds in force; the SCL meaning table.
/// </summary>
internal static class CrossValidationPrinter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(CliArguments arguments, CancellationToken ct)
    {
        var corpus = arguments.Get("corpus") ?? throw new CliUsageException("--cv and --loso need --corpus DIR");
        var files = CorpusSplit.Load(corpus).Training;
        var learner = Enum.TryParse<SclLearner>(arguments.Get("learner") ?? "ensemble", ignoreCase: true, out var l) && l != SclLearner.Auto
            ? l
            : throw new CliUsageException("--learner must be ensemble, linear or trees");
        var options = SclCliSupport.WithTrainingSettings(new SclTrainingOptions { Learner = learner }, arguments);
        var seeds = (arguments.Get("seeds") ?? "42,43,44").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, Inv, out var v) ? v : throw new CliUsageException($"--seeds: '{s}' is not a whole number")).ToList();
        var folds = arguments.GetInt("folds") ?? 5;
        var thresholdsPath = arguments.Get("thresholds") ?? Path.Combine("config", "thresholds.json");
        var (scl, errors) = ThresholdsFile.Load(thresholdsPath);
        if (scl is null)
        {
            throw new CliUsageException(string.Join("; ", errors));
        }

        var thresholds = new SclThresholds(scl.JunkThreshold, scl.ArchiveThreshold, scl.RejectThreshold);
        using var loggers = SclCliSupport.CreateLoggerFactory();
        var validator = new SclCrossValidator(loggers.CreateLogger<SclCrossValidator>());
        var w = Console.Out;
        w.WriteLine(string.Create(Inv,
            $"{files.Count} training files ({files.Count(f => f.IsSpam)} spam, {files.Count(f => !f.IsSpam)} ham); learner {learner}, {SclCliSupport.DescribeTrainingSettings(options)}; thresholds {scl} ({(File.Exists(thresholdsPath) ? thresholdsPath : "built-in defaults")})"));
        if (arguments.HasFlag("cv"))
        {
            var clock = Stopwatch.StartNew();
            var report = validator.CrossValidate(files, options, folds, seeds, thresholds, ct);
            PrintCrossValidation(w, report, clock.Elapsed);
            if (arguments.Get("scores") is { } scoresPath)
            {
                // --scores FILE: each file's out-of-fold log-odds per seed, for looking at single messages and margins.
                using var scores = new StreamWriter(scoresPath);
                scores.WriteLine("path\tlabel\tseed\tfold\tlog_odds\thighest_other_ham\tscl");
                foreach (var s in report.Scores)
                {
                    scores.WriteLine(string.Create(Inv, $"{s.Path}\t{(s.IsSpam ? "spam" : "ham")}\t{s.Seed}\t{s.Fold}\t{s.LogOdds:R}\t{s.HighestOtherHam:R}\t{s.Scl}"));
                }
            }
        }

        if (arguments.HasFlag("loso"))
        {
            var clock = Stopwatch.StartNew();
            // --loso-source NAME (repeatable): leave out only those sources; each is computed as in the full run.
            var only = arguments.GetAll("loso-source");
            var known = files.Select(f => f.Set).Distinct(StringComparer.Ordinal).ToList();
            if (only.FirstOrDefault(s => !known.Contains(s, StringComparer.Ordinal)) is { } unknown)
            {
                throw new CliUsageException($"--loso-source: no source '{unknown}' in the training files ({string.Join(", ", known)})");
            }

            // One run per seed: each seed draws other halves of the other sources and seeds the learners.
            var runs = new List<IReadOnlyList<SourceResult>>();
            foreach (var seed in seeds)
            {
                clock.Restart();
                var sources = validator.LeaveOneSourceOut(files, options with { Seed = seed }, thresholds, ct, only.Count == 0 ? null : only);
                PrintSources(w, seed, sources, clock.Elapsed);
                runs.Add(sources);
            }

            if (runs.Count > 1)
            {
                PrintSourceSpread(w, seeds, runs);
            }
        }

        return 0;
    }

    public static void PrintMeaning(TextWriter w, string title, IReadOnlyList<double> ham, IReadOnlyList<double> spam)
    {
        if (ham.Count != 9 || spam.Count != 9)
        {
            return;
        }

        w.WriteLine(title);
        w.WriteLine("  SCL >=   ham at or above   spam at or above");
        for (var t = 0; t < 9; t++)
        {
            w.WriteLine(string.Format(Inv, "  {0,6} {1,17:0.000%} {2,18:0.00%}", t + 1, ham[t], spam[t]));
        }
    }

    private static void PrintCrossValidation(TextWriter w, CrossValidationReport report, TimeSpan elapsed)
    {
        w.WriteLine(string.Create(Inv, $"repeated stratified cross-validation: {report.Folds} folds x {report.Repeats.Count} seeds ({elapsed.TotalMinutes:0.0} min)"));
        w.WriteLine("  seed      AUC   @FPR<=0.1%  @FPR<=0.5%  @FPR<=1%   spam out of inbox   ham in junk   ham archived");
        foreach (var r in report.Repeats)
        {
            w.WriteLine(string.Format(Inv, "  {0,4}  {1:0.00000}  {2,10:0.00%}  {3,10:0.00%}  {4,8:0.00%}  {5,18:0.00%}  {6,12:0.000%}  {7,13}",
                r.Seed, r.Metrics.Auc, r.Metrics.RecallAtFpr[0], r.Metrics.RecallAtFpr[1], r.Metrics.RecallAtFpr[2],
                OutOfInbox(r.Confusion.Spam), Share(r.Confusion.Ham, "junk"), r.Confusion.Ham["archive"] + r.Confusion.Ham["reject"]));
        }

        string Spread(Func<RepeatResult, double> f, string format)
        {
            var values = report.Repeats.Select(f).ToArray();
            return string.Format(Inv, "{0} ({1}..{2})", MeanSd(values, format),
                values.Min().ToString(format, Inv), values.Max().ToString(format, Inv));
        }

        w.WriteLine("  mean ± sd (min..max) over the seeds:");
        w.WriteLine($"    AUC            {Spread(r => r.Metrics.Auc, "0.00000")}");
        w.WriteLine($"    recall @0.1%   {Spread(r => r.Metrics.RecallAtFpr[0], "0.00%")}");
        w.WriteLine($"    recall @0.5%   {Spread(r => r.Metrics.RecallAtFpr[1], "0.00%")}");
        w.WriteLine($"    recall @1%     {Spread(r => r.Metrics.RecallAtFpr[2], "0.00%")}");
        w.WriteLine($"    spam out of inbox {Spread(r => OutOfInbox(r.Confusion.Spam), "0.00%")}, ham in junk {Spread(r => Share(r.Confusion.Ham, "junk"), "0.000%")}");
        PrintConfusion(w, "  confusion at the thresholds, all seeds (SCL from calibration and cut points fitted on the other folds)", report.Confusion);
        PrintMeaning(w, "  SCL meaning, all seeds (out of fold, cut points fitted on the other folds)", report.Meaning.Ham, report.Meaning.Spam);
    }

    private static void PrintSources(TextWriter w, int seed, IReadOnlyList<SourceResult> sources, TimeSpan elapsed)
    {
        w.WriteLine(string.Create(Inv, $"leave-one-source-out, seed {seed} ({elapsed.TotalMinutes:0.0} min): the source's ham against the other sources' spam, its spam against their ham"));
        w.WriteLine("  left out              n       AUC   @FPR<=0.1%  @FPR<=0.5%  @FPR<=1%   inbox     junk    archive  reject");
        foreach (var s in sources)
        {
            var c = s.HeldSpam ? s.Confusion.Spam : s.Confusion.Ham;
            w.WriteLine(string.Format(Inv, "  {0,-20} {1,5}  {2:0.00000}  {3,10:0.00%}  {4,10:0.00%}  {5,8:0.00%}  {6,6}  {7,6}  {8,6}  {9,6}",
                $"{s.Source} {(s.HeldSpam ? "spam" : "ham")}", s.Count, s.Metrics.Auc, s.Metrics.RecallAtFpr[0], s.Metrics.RecallAtFpr[1],
                s.Metrics.RecallAtFpr[2], c["inbox"], c["junk"], c["archive"], c["reject"]));
        }
    }

    /// <summary>Each left-out row over the seeds: mean ± standard deviation of AUC and recall, junk and archived per seed.</summary>
    private static void PrintSourceSpread(TextWriter w, IReadOnlyList<int> seeds, IReadOnlyList<IReadOnlyList<SourceResult>> runs)
    {
        w.WriteLine(string.Create(Inv, $"leave-one-source-out over {runs.Count} seeds ({string.Join(",", seeds)}): mean ± sd; junk and archived per seed"));
        w.WriteLine("  left out                  AUC              @FPR<=0.1%        @FPR<=1%          junk           archived");
        for (var row = 0; row < runs[0].Count; row++)
        {
            var same = runs.Select(r => r[row]).ToList();
            var counts = same.Select(s => s.HeldSpam ? s.Confusion.Spam : s.Confusion.Ham).ToList();
            w.WriteLine(string.Format(Inv, "  {0,-20} {1,-17} {2,-17} {3,-17} {4,-14} {5}",
                $"{same[0].Source} {(same[0].HeldSpam ? "spam" : "ham")}",
                MeanSd(same.Select(s => s.Metrics.Auc), "0.00000"), MeanSd(same.Select(s => s.Metrics.RecallAtFpr[0] * 100), "0.00"),
                MeanSd(same.Select(s => s.Metrics.RecallAtFpr[2] * 100), "0.00"), string.Join(" ", counts.Select(c => c["junk"])),
                string.Join(" ", counts.Select(c => c["archive"] + c["reject"]))));
        }
    }

    /// <summary>"mean ± sd" (sample standard deviation), each in <paramref name="format"/>.</summary>
    private static string MeanSd(IEnumerable<double> values, string format)
    {
        var v = values.ToArray();
        var mean = v.Average();
        var sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return $"{mean.ToString(format, Inv)} ± {sd.ToString(format, Inv)}";
    }

    private static void PrintConfusion(TextWriter w, string title, Confusion c)
    {
        w.WriteLine(title);
        w.WriteLine("  label       inbox         junk      archive       reject");
        foreach (var (label, counts) in new[] { ("spam", c.Spam), ("ham", c.Ham) })
        {
            w.WriteLine(string.Format(Inv, "  {0,-5} {1}", label,
                string.Join(" ", Confusion.Routes.Select(r => string.Format(Inv, "{0,6} {1,6:0.00%}", counts[r], Share(counts, r))))));
        }
    }

    private static double OutOfInbox(IReadOnlyDictionary<string, int> counts) => 1 - Share(counts, "inbox");

    private static double Share(IReadOnlyDictionary<string, int> counts, string route)
    {
        var total = counts.Values.Sum();
        return total == 0 ? double.NaN : counts[route] / (double)total;
    }
}
