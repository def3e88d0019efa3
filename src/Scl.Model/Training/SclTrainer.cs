using System.Diagnostics;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;
using MailGateway.Scl.Model.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;

namespace MailGateway.Scl.Model.Training;

/// <summary>
/// Trains an SCL model from labelled message files. Each base learner is cross-validated on the training files
/// (folds by file-name hash); the out-of-fold margins choose the Ensemble's member weights, fit the calibration and
/// choose the SCL cut points from ham the learners had not seen. The candidates (Linear, Trees, Ensemble) are
/// compared on the validation files, the best AUC kept, and its learners trained on all training files.
/// </summary>
public sealed partial class SclTrainer(ILogger<SclTrainer>? logger = null)
{
    // Mixing weights tried for the Ensemble: Linear's share of the (standardised) margin, the rest is Trees'.
    private static readonly double[] LinearShares = Enumerable.Range(0, 21).Select(i => i / 20.0).ToArray();

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Trains and returns the model; validation may be empty.</summary>
    public SclModel Train(
        IReadOnlyList<LabeledFile> training,
        IReadOnlyList<LabeledFile> validation,
        SclTrainingOptions options,
        CancellationToken cancellationToken = default)
    {
        var train = Featurise(training, cancellationToken);
        var valid = Featurise(validation, cancellationToken);
        var labels = train.Select(r => r.Input.Label).ToArray();
        var spam = labels.Count(l => l);
        var ham = labels.Length - spam;
        if (spam == 0 || ham == 0)
        {
            throw new ArgumentException("training needs at least one spam and one ham message", nameof(training));
        }

        LogData(_logger, spam, ham, valid.Count);
        var canCrossValidate = spam >= options.MinimumPerClassForCalibration && ham >= options.MinimumPerClassForCalibration && options.Folds >= 2;
        var candidates = options.Learner == SclLearner.Auto
            ? [SclLearner.Linear, SclLearner.Trees, SclLearner.Ensemble]
            : new[] { options.Learner };
        var bases = candidates.SelectMany(ModelPipeline.Members).Distinct().ToArray();

        // Out-of-fold margins of every base learner: they weigh the Ensemble's members and calibrate the winner.
        var oof = new Dictionary<SclLearner, double[]>();
        var weights = candidates.ToDictionary(c => c, c => EqualWeights(ModelPipeline.Members(c).Length));
        var results = new List<LearnerResult>();
        if (canCrossValidate)
        {
            var clock = Stopwatch.StartNew();
            oof = OutOfFold(train, bases, options, cancellationToken);
            foreach (var candidate in candidates)
            {
                var members = ModelPipeline.Members(candidate);
                if (members.Length > 1)
                {
                    weights[candidate] = ChooseWeights(members.Select(m => oof[m]).ToArray(), labels, options.EnsembleLinearShare);
                }

                var r = Result(candidate, "cross-validation", labels, SclModel.Combine(weights[candidate], members.Select(m => oof[m]).ToArray()), clock.Elapsed);
                results.Add(r);
                LogCandidate(_logger, r.Learner, r.On, r.Auc, r.RecallAtFpr01Percent, r.RecallAtFpr1Percent, r.TrainSeconds);
            }

            if (weights.TryGetValue(SclLearner.Ensemble, out var w))
            {
                LogWeights(_logger, string.Join(" ", w.Select(x => x.ToString("G4"))));
            }
        }

        // The learners fitted on all training files: compared on validation, and the winner's are the model.
        cancellationToken.ThrowIfCancellationRequested();
        var finalMl = new MLContext(options.Seed);
        var fitClock = Stopwatch.StartNew();
        var (featurizer, fitted) = Fit(finalMl, train.Select(r => r.Input).ToList(), bases, options);
        var fitSeconds = fitClock.Elapsed;
        if (valid.Count > 0)
        {
            var validLabels = valid.Select(r => r.Input.Label).ToArray();
            var byBase = SclModel.MemberMargins(finalMl, featurizer, bases.Select(b => fitted[b]).ToArray(), valid.Select(r => r.Input).ToList());
            foreach (var candidate in candidates)
            {
                var members = ModelPipeline.Members(candidate);
                var margins = SclModel.Combine(weights[candidate], members.Select(m => byBase[Array.IndexOf(bases, m)]).ToArray());
                var r = Result(candidate, "validation", validLabels, margins, fitSeconds);
                results.Add(r);
                LogCandidate(_logger, r.Learner, r.On, r.Auc, r.RecallAtFpr01Percent, r.RecallAtFpr1Percent, r.TrainSeconds);
            }
        }

        var compared = results.Where(r => r.On == "validation").ToList() is { Count: > 0 } v ? v : results;
        var winner = compared.Count == 0
            ? candidates[0]
            : Enum.Parse<SclLearner>(compared.OrderByDescending(r => r.Auc).ThenByDescending(r => r.RecallAtFpr01Percent).First().Learner);

        var winnerMembers = ModelPipeline.Members(winner);
        var (calibration, mapping, meaning) = canCrossValidate
            ? Calibrate(SclModel.Combine(weights[winner], winnerMembers.Select(m => oof[m]).ToArray()), labels)
            : (PlattCalibration.Identity, SclMapping.Default, new SclMeaning([], []));

        var info = new SclModelInfo
        {
            Learner = winner.ToString(),
            Seed = options.Seed,
            TrainingSpam = spam,
            TrainingHam = ham,
            MemberWeights = weights[winner],
            CalibrationA = calibration.A,
            CalibrationB = calibration.B,
            CutPoints = mapping.CutPoints.ToArray(),
            OutOfFoldHamAtOrAbove = meaning.Ham,
            OutOfFoldSpamAtOrAbove = meaning.Spam,
            Candidates = results.ToArray(),
        };
        LogTrained(_logger, winner.ToString(), calibration.A, calibration.B, string.Join(" ", mapping.CutPoints.Select(c => c.ToString("0.###"))));
        return new SclModel(finalMl, featurizer, winnerMembers.Select(m => fitted[m]).ToArray(), info, "unsaved");
    }

    /// <summary>
    /// Only the cross-validation of <see cref="Train"/> (same folds, same seed): each candidate's out-of-fold result
    /// and every training file's out-of-fold margins, per base learner and per candidate, with no final fit. For
    /// choosing features and settings on the training files without touching the validation split.
    /// </summary>
    public (IReadOnlyList<LearnerResult> Results, IReadOnlyList<OutOfFoldScore> Scores) CrossValidate(
        IReadOnlyList<LabeledFile> training, SclTrainingOptions options, CancellationToken cancellationToken = default)
    {
        var train = Featurise(training, cancellationToken);
        var labels = train.Select(r => r.Input.Label).ToArray();
        var candidates = options.Learner == SclLearner.Auto
            ? [SclLearner.Linear, SclLearner.Trees, SclLearner.Ensemble]
            : new[] { options.Learner };
        var bases = candidates.SelectMany(ModelPipeline.Members).Distinct().ToArray();
        var clock = Stopwatch.StartNew();
        var oof = OutOfFold(train, bases, options, cancellationToken);
        var results = new List<LearnerResult>();
        var combined = new Dictionary<SclLearner, double[]>();
        foreach (var candidate in candidates)
        {
            var members = ModelPipeline.Members(candidate);
            var margins = members.Select(m => oof[m]).ToArray();
            var weights = members.Length > 1 ? ChooseWeights(margins, labels, options.EnsembleLinearShare) : EqualWeights(1);
            combined[candidate] = SclModel.Combine(weights, margins);
            var r = Result(candidate, "cross-validation", labels, combined[candidate], clock.Elapsed);
            results.Add(r);
            LogCandidate(_logger, r.Learner, r.On, r.Auc, r.RecallAtFpr01Percent, r.RecallAtFpr1Percent, r.TrainSeconds);
        }

        var scores = train.Select((r, i) => new OutOfFoldScore(
            r.Path, r.Input.Label, candidates.ToDictionary(c => c, c => combined[c][i]))).ToList();
        return (results, scores);
    }

    /// <summary>
    /// Re-fits only the calibration and SCL cut points of <paramref name="model"/> from the same cross-validation
    /// <see cref="Train"/> runs (same files and seed give the same result), keeping its fitted learners and weights.
    /// The out-of-fold fits use <paramref name="options"/>: they must be the settings the model was trained with (the
    /// tree settings and the text n-gram norms are not stored in the model), or the cut points fit other learners.
    /// </summary>
    public SclModel Recalibrate(SclModel model, IReadOnlyList<LabeledFile> training, SclTrainingOptions options, CancellationToken cancellationToken = default)
    {
        var train = Featurise(training, cancellationToken);
        var learner = Enum.Parse<SclLearner>(model.Info.Learner);
        var members = ModelPipeline.Members(learner);
        var oof = OutOfFold(train, members, options, cancellationToken);
        var labels = train.Select(r => r.Input.Label).ToArray();
        var (calibration, mapping, meaning) = Calibrate(SclModel.Combine(model.Info.MemberWeights, members.Select(m => oof[m]).ToArray()), labels);
        LogTrained(_logger, learner.ToString(), calibration.A, calibration.B, string.Join(" ", mapping.CutPoints.Select(c => c.ToString("0.###"))));
        return model.WithCalibration(calibration, mapping, meaning);
    }

    /// <summary>
    /// Platt scaling and the SCL cut points from out-of-fold margins, and what each SCL then means on them (the
    /// share of ham and of spam at or above it).
    /// </summary>
    internal static (PlattCalibration Calibration, SclMapping Mapping, SclMeaning Meaning) Calibrate(IReadOnlyList<double> oofMargins, IReadOnlyList<bool> labels)
    {
        var calibration = PlattCalibration.Fit(oofMargins, labels);
        var hamLogOdds = oofMargins.Where((_, i) => !labels[i]).Select(calibration.LogOdds).ToList();
        var spamLogOdds = oofMargins.Where((_, i) => labels[i]).Select(calibration.LogOdds).ToList();
        var mapping = SclMapping.FromHamLogOdds(hamLogOdds);
        return (calibration, mapping, new SclMeaning(mapping.SharesAtOrAbove(hamLogOdds), mapping.SharesAtOrAbove(spamLogOdds)));
    }

    private static double[] EqualWeights(int members) => Enumerable.Repeat(1.0 / members, members).ToArray();

    /// <summary>
    /// Weights for two members' margins: each margin is divided by its out-of-fold standard deviation (so neither
    /// dominates by scale), and Linear's share is the one with the best out-of-fold recall in the low false-positive
    /// range (mean recall at FPR &lt;= 0.1%, 0.2%, 0.5% and 1%); ties keep the share nearest an even mix.
    /// <paramref name="linearShare"/>, when given, is Linear's share instead of the chosen one.
    /// </summary>
    internal static double[] ChooseWeights(IReadOnlyList<double[]> oofMargins, IReadOnlyList<bool> labels, double? linearShare = null)
    {
        var scale = oofMargins.Select(StandardDeviation).Select(sd => sd > 0 ? 1 / sd : 1).ToArray();
        if (linearShare is { } fixedShare)
        {
            return [fixedShare * scale[0], (1 - fixedShare) * scale[1]];
        }

        double[] best = [0.5 * scale[0], 0.5 * scale[1]];
        var bestScore = LowFprRecall(SclModel.Combine(best, oofMargins), labels);
        foreach (var share in LinearShares.OrderBy(s => Math.Abs(s - 0.5)))
        {
            double[] w = [share * scale[0], (1 - share) * scale[1]];
            var score = LowFprRecall(SclModel.Combine(w, oofMargins), labels);
            if (score > bestScore + 1e-12)
            {
                (best, bestScore) = (w, score);
            }
        }

        return best;
    }

    private static double LowFprRecall(double[] margins, IReadOnlyList<bool> labels)
    {
        var examples = margins.Select((m, i) => new ScoredExample(labels[i], m, 0)).ToList();
        var spam = labels.Count(l => l);
        var ham = labels.Count - spam;
        return new[] { 0.001, 0.002, 0.005, 0.01 }.Average(fpr => BinaryMetrics.RecallAtFpr(examples, spam, ham, fpr));
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
    }

    /// <summary>The featurizer and each of <paramref name="learners"/> fitted on <paramref name="rows"/>, featurised once.</summary>
    internal static (ITransformer Featurizer, Dictionary<SclLearner, ITransformer> Learners) Fit(
        MLContext ml, IReadOnlyList<ModelInput> rows, IReadOnlyList<SclLearner> learners, SclTrainingOptions options)
    {
        // The weight is a training setting, not a property of the message: set here, for these options, every time.
        foreach (var row in rows)
        {
            row.Weight = row.Label ? 1f : (float)options.HamWeight;
        }

        var data = ml.Data.LoadFromEnumerable(rows);
        var featurizer = ModelPipeline.Featurizer(ml, options).Fit(data);
        // Featurising text is the costly part, and L-BFGS reads the data once per iteration: keep the vectors.
        var features = ml.Data.Cache(featurizer.Transform(data));
        var fitted = learners.ToDictionary(l => l, l => (ITransformer)ModelPipeline.Learner(ml, l, options).Fit(features));
        return (featurizer, fitted);
    }

    /// <summary>Margins for each training row from learners that did not see it (folds by file-name hash).</summary>
    private Dictionary<SclLearner, double[]> OutOfFold(IReadOnlyList<Row> train, IReadOnlyList<SclLearner> learners, SclTrainingOptions options, CancellationToken ct)
    {
        var oof = learners.ToDictionary(l => l, _ => new double[train.Count]);
        for (var fold = 0; fold < options.Folds; fold++)
        {
            ct.ThrowIfCancellationRequested();
            var inFold = train.Select((r, i) => (r, i)).Where(x => x.r.Fold(options.Folds) == fold).ToList();
            var rest = train.Where(r => r.Fold(options.Folds) != fold).Select(r => r.Input).ToList();
            if (inFold.Count == 0)
            {
                continue;
            }

            var ml = new MLContext(options.Seed);
            var (featurizer, fitted) = Fit(ml, rest, learners, options);
            var margins = SclModel.MemberMargins(ml, featurizer, learners.Select(l => fitted[l]).ToArray(), inFold.Select(x => x.r.Input).ToList());
            for (var l = 0; l < learners.Count; l++)
            {
                for (var k = 0; k < inFold.Count; k++)
                {
                    oof[learners[l]][inFold[k].i] = margins[l][k];
                }
            }

            LogFold(_logger, fold + 1, options.Folds);
        }

        return oof;
    }

    private static LearnerResult Result(SclLearner learner, string on, IReadOnlyList<bool> labels, IReadOnlyList<double> margins, TimeSpan elapsed)
    {
        var examples = labels.Select((l, i) => new ScoredExample(l, margins[i], 0)).ToList();
        var m = BinaryMetrics.Compute(examples);
        return new LearnerResult
        {
            Learner = learner.ToString(),
            On = on,
            N = m.N,
            Auc = m.Auc,
            RecallAtFpr01Percent = m.RecallAtFpr01Percent,
            RecallAtFpr1Percent = m.RecallAtFpr1Percent,
            TrainSeconds = Math.Round(elapsed.TotalSeconds, 1),
        };
    }

    internal static IReadOnlyList<Row> Featurise(IReadOnlyList<LabeledFile> files, CancellationToken ct)
    {
        var rows = new Row[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            // Read whole, then parse from memory: async file reads blocked on inside Parallel.For starve the thread pool.
            using var stream = new MemoryStream(File.ReadAllBytes(files[i].Path), writable: false);
            var (_, features) = FeatureExtractor.ExtractAsync(stream, ct).GetAwaiter().GetResult();
            rows[i] = new Row(files[i].Path, ModelInput.From(features, files[i].IsSpam));
        });
        return rows;
    }

    internal sealed record Row(string Path, ModelInput Input)
    {
        public int Fold(int folds) => CorpusSplit.Bucket(Path) % folds;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training on {Spam} spam and {Ham} ham; {Validation} validation messages")]
    private static partial void LogData(ILogger logger, int spam, int ham, int validation);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Learner} on {On}: AUC {Auc:0.00000}, recall {R01:P2} at FPR<=0.1%, {R1:P2} at FPR<=1% ({Seconds}s)")]
    private static partial void LogCandidate(ILogger logger, string learner, string on, double auc, double r01, double r1, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ensemble member weights (Linear, Trees) from out-of-fold scores: {Weights}")]
    private static partial void LogWeights(ILogger logger, string weights);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cross-validation: fold {Fold}/{Folds} done")]
    private static partial void LogFold(ILogger logger, int fold, int folds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept {Learner}; calibration A={A:G6} B={B:G6}; SCL cut points (log-odds) {CutPoints}")]
    private static partial void LogTrained(ILogger logger, string learner, double a, double b, string cutPoints);
}
