using MailGateway.Scl.Model.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;

namespace MailGateway.Scl.Model.Training;

/// <summary>
/// Evaluation that does not depend on one split: repeated stratified k-fold cross-validation over the training files
/// (each repeat's folds by a seeded hash of the file name, so every repeat is another partition) and
/// leave-one-source-out (train on every other source, score the one left out). What features and settings are decided
/// on (<c>mailgw eval --cv</c>).
/// </summary>
/// <remarks>
/// The SCL of a message in fold k is given by calibration and cut points fitted, as the trainer fits them, on the
/// out-of-fold margins of the other folds only, so the confusion at the thresholds and the SCL meaning table are
/// measured on mail that chose neither. The Ensemble's member weights are chosen once per repeat on all its
/// out-of-fold margins (a choice of one number among 21).
/// </remarks>
public sealed partial class SclCrossValidator(ILogger<SclCrossValidator>? logger = null)
{
    private static readonly double[] Fprs = [0.001, 0.005, 0.01];

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Repeated stratified cross-validation: one repeat per seed (folds and LightGBM both seeded).</summary>
    public CrossValidationReport CrossValidate(
        IReadOnlyList<LabeledFile> files, SclTrainingOptions options, int folds, IReadOnlyList<int> seeds, SclThresholds thresholds, CancellationToken ct = default)
    {
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), "cross-validation needs at least 2 folds");
        }

        var rows = SclTrainer.Featurise(files, ct);
        var labels = rows.Select(r => r.Input.Label).ToArray();
        var bases = ModelPipeline.Members(Candidate(options));
        var repeats = new List<RepeatResult>();
        var scls = new List<(bool IsSpam, int Scl)>();
        var scores = new List<CrossValidationScore>();
        foreach (var seed in seeds)
        {
            var seeded = options with { Seed = seed };
            var fold = rows.Select(r => StratifiedFold(r, seed, folds)).ToArray();
            var oof = bases.Select(_ => new double[rows.Count]).ToArray();
            for (var f = 0; f < folds; f++)
            {
                var train = Enumerable.Range(0, rows.Count).Where(i => fold[i] != f).ToList();
                var test = Enumerable.Range(0, rows.Count).Where(i => fold[i] == f).ToList();
                var margins = FitAndScore(rows, train, test, bases, seeded);
                for (var m = 0; m < bases.Length; m++)
                {
                    for (var k = 0; k < test.Count; k++)
                    {
                        oof[m][test[k]] = margins[m][k];
                    }
                }

                LogFold(_logger, seed, f + 1, folds);
            }

            var weights = bases.Length > 1 ? SclTrainer.ChooseWeights(oof, labels, options.EnsembleLinearShare) : [1.0];
            var combined = SclModel.Combine(weights, oof);
            var (repeatScl, logOdds, highestOtherHam) = NestedScl(combined, labels, fold, folds);
            scls.AddRange(labels.Select((l, i) => (l, repeatScl[i])));
            scores.AddRange(rows.Select((r, i) => new CrossValidationScore(r.Path, labels[i], seed, fold[i], logOdds[i], highestOtherHam[i], repeatScl[i])));
            var examples = labels.Select((l, i) => new ScoredExample(l, combined[i], repeatScl[i])).ToList();
            var result = new RepeatResult(seed, Metrics(examples), Confusion.Of(examples, thresholds));
            repeats.Add(result);
            LogRepeat(_logger, seed, result.Metrics.Auc, result.Metrics.RecallAtFpr[0], result.Metrics.RecallAtFpr[2]);
        }

        return new CrossValidationReport(folds, repeats, Meaning(scls), Confusion.Of(scls.Select(x => new ScoredExample(x.IsSpam, 0, x.Scl)).ToList(), thresholds))
        {
            Scores = scores,
        };
    }

    /// <summary>
    /// For each source (<see cref="LabeledFile.Set"/>): learners fitted on two halves of every other source score the
    /// left-out source (its margin the mean of the two) and the other half of the rest (their out-of-fold margins
    /// weigh, calibrate and cut the SCL scale). The left-out ham is ranked against the other sources' spam and the
    /// left-out spam against the other sources' ham. <paramref name="only"/>, when given, names the sources to leave
    /// out (each computed exactly as in the full run); the others are still trained on.
    /// </summary>
    public IReadOnlyList<SourceResult> LeaveOneSourceOut(
        IReadOnlyList<LabeledFile> files, SclTrainingOptions options, SclThresholds thresholds, CancellationToken ct = default,
        IReadOnlyCollection<string>? only = null)
    {
        var rows = SclTrainer.Featurise(files, ct);
        var bases = ModelPipeline.Members(Candidate(options));
        var results = new List<SourceResult>();
        foreach (var source in files.Select(f => f.Set).Distinct(StringComparer.Ordinal).Where(s => only is null || only.Contains(s)).ToList())
        {
            var held = Enumerable.Range(0, rows.Count).Where(i => files[i].Set == source).ToList();
            var rest = Enumerable.Range(0, rows.Count).Where(i => files[i].Set != source).ToList();
            var half = rest.ToDictionary(i => i, i => CorpusSplit.Half(rows[i].Path, rows[i].Input.Label ? options.Seed : ~options.Seed));
            var restOof = bases.Select(_ => new double[rest.Count]).ToArray();
            var heldMargins = bases.Select(_ => new double[held.Count]).ToArray();
            for (var h = 0; h < 2; h++)
            {
                var train = rest.Where(i => half[i] != h).ToList();
                var testRest = rest.Select((i, k) => (i, k)).Where(x => half[x.i] == h).ToList();
                var margins = FitAndScore(rows, train, testRest.Select(x => x.i).Concat(held).ToList(), bases, options);
                for (var m = 0; m < bases.Length; m++)
                {
                    for (var k = 0; k < testRest.Count; k++)
                    {
                        restOof[m][testRest[k].k] = margins[m][k];
                    }

                    for (var k = 0; k < held.Count; k++)
                    {
                        heldMargins[m][k] += margins[m][testRest.Count + k] / 2;
                    }
                }
            }

            var restLabels = rest.Select(i => files[i].IsSpam).ToArray();
            var weights = bases.Length > 1 ? SclTrainer.ChooseWeights(restOof, restLabels, options.EnsembleLinearShare) : [1.0];
            LogSourceWeights(_logger, source, string.Join(" ", weights.Select(x => x.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))));
            var restCombined = SclModel.Combine(weights, restOof);
            var heldCombined = SclModel.Combine(weights, heldMargins);
            var (calibration, mapping, _) = SclTrainer.Calibrate(restCombined, restLabels);
            var restExamples = rest.Select((i, k) => new ScoredExample(files[i].IsSpam, restCombined[k], mapping.ToScl(calibration.LogOdds(restCombined[k])))).ToList();
            var heldExamples = held.Select((i, k) => new ScoredExample(files[i].IsSpam, heldCombined[k], mapping.ToScl(calibration.LogOdds(heldCombined[k])))).ToList();
            for (var k = 0; k < held.Count; k++)
            {
                if (!heldExamples[k].IsSpam && heldExamples[k].Scl >= thresholds.Archive)
                {
                    LogHeldHamArchived(_logger, source, files[held[k]].Path, calibration.LogOdds(heldCombined[k]), heldExamples[k].Scl);
                }
            }

            foreach (var heldSpam in new[] { false, true })
            {
                var mine = heldExamples.Where(e => e.IsSpam == heldSpam).ToList();
                if (mine.Count == 0)
                {
                    continue;
                }

                var against = restExamples.Where(e => e.IsSpam != heldSpam).ToList();
                var examples = mine.Concat(against).ToList();
                var result = new SourceResult(source, heldSpam, mine.Count, Metrics(examples), Confusion.Of(mine, thresholds));
                results.Add(result);
                LogSource(_logger, source, heldSpam ? "spam" : "ham", result.Metrics.Auc, result.Metrics.RecallAtFpr[2]);
            }
        }

        return results;
    }

    private static SclLearner Candidate(SclTrainingOptions options) =>
        options.Learner == SclLearner.Auto ? SclLearner.Ensemble : options.Learner;

    // Stratified: spam and ham are assigned by separate hashes, so each fold has about its share of both.
    private static int StratifiedFold(SclTrainer.Row row, int seed, int folds) =>
        CorpusSplit.Bucket(row.Path, row.Input.Label ? seed : ~seed, folds);

    private static double[][] FitAndScore(IReadOnlyList<SclTrainer.Row> rows, List<int> train, List<int> test, SclLearner[] bases, SclTrainingOptions options)
    {
        var ml = new MLContext(options.Seed);
        var (featurizer, fitted) = SclTrainer.Fit(ml, train.Select(i => rows[i].Input).ToList(), bases, options);
        return SclModel.MemberMargins(ml, featurizer, bases.Select(b => fitted[b]).ToArray(), test.Select(i => rows[i].Input).ToList());
    }

    /// <summary>
    /// Each message's SCL from calibration and cut points fitted on the other folds' out-of-fold margins, its
    /// calibrated log-odds under that calibration, and the highest of the other folds' ham under it (where SCL 7's
    /// margin is measured from).
    /// </summary>
    private static (int[] Scl, double[] LogOdds, double[] HighestOtherHam) NestedScl(double[] margins, bool[] labels, int[] fold, int folds)
    {
        var scl = new int[margins.Length];
        var logOdds = new double[margins.Length];
        var highest = new double[margins.Length];
        for (var f = 0; f < folds; f++)
        {
            var others = Enumerable.Range(0, margins.Length).Where(i => fold[i] != f).ToList();
            var (calibration, mapping, _) = SclTrainer.Calibrate(others.Select(i => margins[i]).ToList(), others.Select(i => labels[i]).ToList());
            var highestHam = others.Where(i => !labels[i]).Select(i => calibration.LogOdds(margins[i])).DefaultIfEmpty(double.NaN).Max();
            for (var i = 0; i < margins.Length; i++)
            {
                if (fold[i] == f)
                {
                    logOdds[i] = calibration.LogOdds(margins[i]);
                    scl[i] = mapping.ToScl(logOdds[i]);
                    highest[i] = highestHam;
                }
            }
        }

        return (scl, logOdds, highest);
    }

    private static RankMetrics Metrics(IReadOnlyList<ScoredExample> examples)
    {
        var spam = examples.Count(e => e.IsSpam);
        var ham = examples.Count - spam;
        return new RankMetrics(
            BinaryMetrics.AreaUnderCurve(examples, spam, ham),
            Fprs.Select(f => BinaryMetrics.RecallAtFpr(examples, spam, ham, f)).ToArray());
    }

    private static SclMeaning Meaning(IReadOnlyList<(bool IsSpam, int Scl)> scls)
    {
        double[] Shares(bool spam)
        {
            var mine = scls.Where(x => x.IsSpam == spam).Select(x => x.Scl).ToList();
            return Enumerable.Range(1, 9).Select(t => mine.Count == 0 ? 0 : mine.Count(s => s >= t) / (double)mine.Count).ToArray();
        }

        return new SclMeaning(Shares(false), Shares(true));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cross-validation seed {Seed}: fold {Fold}/{Folds} done")]
    private static partial void LogFold(ILogger logger, int seed, int fold, int folds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cross-validation seed {Seed}: AUC {Auc:0.00000}, recall {R01:P2} at FPR<=0.1%, {R1:P2} at FPR<=1%")]
    private static partial void LogRepeat(ILogger logger, int seed, double auc, double r01, double r1);

    [LoggerMessage(Level = LogLevel.Information, Message = "Left out {Source}: member weights {Weights}")]
    private static partial void LogSourceWeights(ILogger logger, string source, string weights);

    [LoggerMessage(Level = LogLevel.Information, Message = "Left out {Source}: ham archived {Path} (log-odds {LogOdds:0.00}, SCL {Scl})")]
    private static partial void LogHeldHamArchived(ILogger logger, string source, string path, double logOdds, int scl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Left out {Source} {Label}: AUC {Auc:0.00000}, recall {R1:P2} at FPR<=1%")]
    private static partial void LogSource(ILogger logger, string source, string label, double auc, double r1);
}
