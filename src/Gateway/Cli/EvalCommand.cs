using System.Globalization;
using MailGateway.Gateway.Routing;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw eval</c>: scores labelled folders and prints AUC, recall at fixed false-positive rates, each SCL threshold
/// and messages/s. With <c>--corpus</c> it reports the SpamAssassin validation split and the modern evaluation half
/// (never trained on) separately. <c>--cv</c> and <c>--loso</c> train instead of scoring the shipped model:
/// repeated cross-validation and leave-one-source-out over the training files (<see cref="CrossValidationPrinter"/>).
/// </summary>
public sealed class EvalCommand : ICliCommand, IHasFlags
{
    public string Name => "eval";

    public IReadOnlyCollection<string> Flags => ["cv", "loso"];

    public string Usage =>
        "eval (--spam DIR --ham DIR | --corpus DIR) [--model FILE] [--scores FILE]\n" +
        "       eval ... [--thresholds config/thresholds.json]\n" +
        "       eval --corpus DIR (--cv | --loso | --cv --loso) [--folds 5] [--seeds 42,43,44] [--learner ensemble|linear|trees] [--scores FILE]\n" +
        "            [--loso-source NAME ...] [--tree-rounds N] [--tree-learning-rate X] [--tree-leaves N] [--tree-min-leaf N]\n" +
        "            [--tree-feature-fraction X] [--tree-l2 X] [--tree-columns all|structural] [--ensemble-linear-share X|chosen]\n" +
        "            [--tree-min-slot-count N] [--ham-weight X] [--linear-l1 X] [--linear-l2 X] [--word-gram-norm X] [--char-gram-norm X]\n" +
        "            [--thresholds config/thresholds.json]";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.HasFlag("cv") || arguments.HasFlag("loso"))
        {
            return Task.FromResult(CrossValidationPrinter.Run(arguments, cancellationToken));
        }

        using var loggers = SclCliSupport.CreateLoggerFactory();
        var model = SclCliSupport.LoadModel(arguments.Get("model"), loggers.CreateLogger<SclModel>());
        var scorer = new SclScorer(model);
        Console.WriteLine($"model {model.Id} ({model.Info.Learner}, seed {model.Info.Seed})");
        CrossValidationPrinter.PrintMeaning(Console.Out, "SCL meaning stored in the model (out-of-fold training scores)",
            model.Info.OutOfFoldHamAtOrAbove, model.Info.OutOfFoldSpamAtOrAbove);

        var corpus = arguments.Get("corpus");
        var reports = new List<(string Title, IReadOnlyList<LabeledFile> Files)>();
        if (corpus is not null)
        {
            var split = CorpusSplit.Load(corpus);
            reports.Add(("SpamAssassin validation split", split.SpamAssassinValidation));
            reports.Add(("modern evaluation half (all sets)", split.ModernEvaluation));
            foreach (var set in split.ModernEvaluation.GroupBy(f => f.Set))
            {
                reports.Add(($"modern evaluation half: {set.Key}", set.ToList()));
            }
        }
        else
        {
            var files = SclCliSupport.Labeled(arguments.GetAll("spam"), arguments.GetAll("ham"));
            if (files.Count == 0)
            {
                throw new CliUsageException("no messages: give --spam DIR and --ham DIR, or --corpus DIR");
            }

            reports.Add(($"{files.Count} messages", files));
        }

        // --scores FILE: one line per message (path, label, log-odds, SCL, BCL), the model alone, for side-by-side benches.
        using var scores = arguments.Get("scores") is { } scoresPath ? new StreamWriter(scoresPath) : null;
        var written = new HashSet<string>(StringComparer.Ordinal);
        var thresholds = LoadThresholds(arguments.Get("thresholds") ?? Path.Combine("config", "thresholds.json"));
        Console.WriteLine($"routes at {thresholds}");
        foreach (var (title, files) in reports)
        {
            var (examples, bcls, rate) = SclCliSupport.ScoreTimed(scorer, files, cancellationToken);
            SclCliSupport.PrintMetrics(Console.Out, title, BinaryMetrics.Compute(examples), rate);
            PrintRoutes(Console.Out, examples, bcls, thresholds);
            for (var i = 0; i < files.Count && scores is not null; i++)
            {
                if (written.Add(files[i].Path))
                {
                    scores.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{files[i].Path}\t{(files[i].IsSpam ? "spam" : "ham")}\t{examples[i].Score:R}\t{examples[i].Scl}\t{bcls[i]}"));
                }
            }
        }

        return Task.FromResult(0);
    }

    private static RoutingThresholds LoadThresholds(string path)
    {
        var (thresholds, errors) = ThresholdsFile.LoadAll(path);
        return thresholds ?? throw new CliUsageException(string.Join("; ", errors));
    }

    /// <summary>
    /// Where the messages go at the thresholds in force, by SCL alone and by SCL with the bulk route (as
    /// <see cref="SclRouter.RouteFor"/> decides), and the share of each label at or above each BCL.
    /// </summary>
    private static void PrintRoutes(TextWriter w, IReadOnlyList<ScoredExample> examples, int[] bcls, RoutingThresholds t)
    {
        var inv = CultureInfo.InvariantCulture;
        var scl = new SclThresholds(t.Scl.JunkThreshold, t.Scl.ArchiveThreshold, t.Scl.RejectThreshold);
        string Route(int i, bool withBulk)
        {
            var route = scl.Route(examples[i].Scl);
            return withBulk && route == "inbox" && bcls[i] >= t.Bulk.Threshold ? "junk" : route;
        }

        foreach (var withBulk in new[] { false, true })
        {
            w.WriteLine(withBulk ? "  routes, SCL and bulk:  inbox  junk  archive  reject" : "  routes, SCL alone:     inbox  junk  archive  reject");
            foreach (var spam in new[] { true, false })
            {
                var mine = Enumerable.Range(0, examples.Count).Where(i => examples[i].IsSpam == spam).ToList();
                var counts = Confusion.Routes.Select(r => mine.Count(i => Route(i, withBulk) == r)).ToList();
                w.WriteLine(string.Format(inv, "    {0,-5} {1}   ({2:0.00%} out of the inbox)", spam ? "spam" : "ham",
                    string.Join(" ", counts.Select(c => c.ToString(inv).PadLeft(6))), mine.Count == 0 ? 0 : 1 - counts[0] / (double)mine.Count));
            }
        }

        w.WriteLine("  BCL >=   spam     ham");
        foreach (var b in new[] { 1, 3, 5, 7, 9 })
        {
            double Share(bool spam)
            {
                var mine = Enumerable.Range(0, examples.Count).Where(i => examples[i].IsSpam == spam).ToList();
                return mine.Count == 0 ? 0 : mine.Count(i => bcls[i] >= b) / (double)mine.Count;
            }

            w.WriteLine(string.Format(inv, "  {0,6} {1,7:0.00%} {2,7:0.00%}", b, Share(true), Share(false)));
        }
    }
}
