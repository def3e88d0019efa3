using System.Collections.Concurrent;
using System.Diagnostics;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace MailGateway.Scl.Model.Training;

/// <summary>
/// Trains an SCL model from labelled message files. Each candidate learner is trained on the training files and
/// compared on the validation files (or, without them, on out-of-fold cross-validation scores). The winner is
/// cross-validated on the training files to fit the calibration and choose the SCL cut points from ham it has not
/// seen, then trained on all training files.
/// </summary>
public sealed partial class SclTrainer(ILogger<SclTrainer>? logger = null)
{
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
        var spam = train.Count(r => r.Input.Label);
        var ham = train.Count - spam;
        if (spam == 0 || ham == 0)
        {
            throw new ArgumentException("training needs at least one spam and one ham message", nameof(training));
        }

        LogData(_logger, spam, ham, valid.Count);
        var canCrossValidate = spam >= options.MinimumPerClassForCalibration && ham >= options.MinimumPerClassForCalibration && options.Folds >= 2;
        var candidates = options.Learner == SclLearner.Auto
            ? [SclLearner.Linear, SclLearner.Trees, SclLearner.Ensemble]
            : new[] { options.Learner };

        // Base learners are fitted once; the ensemble's margins are the mean of its members' margins.
        var results = new List<LearnerResult>();
        var oofByBase = new Dictionary<SclLearner, double[]>();
        var validByBase = new Dictionary<SclLearner, (double[] Margins, TimeSpan Elapsed)>();
        var compareOn = valid.Count > 0 ? "validation" : candidates.Length > 1 && canCrossValidate ? "cross-validation" : null;
        foreach (var candidate in compareOn is null ? [] : candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var members = Members(candidate);
            var elapsed = TimeSpan.Zero;
            var perMember = new List<double[]>();
            foreach (var member in members)
            {
                if (compareOn == "validation")
                {
                    if (!validByBase.TryGetValue(member, out var known))
                    {
                        var clock = Stopwatch.StartNew();
                        var ml = new MLContext(options.Seed);
                        var model = Pipeline(ml, member, options).Fit(ml.Data.LoadFromEnumerable(train.Select(r => r.Input)));
                        validByBase[member] = known = (SclModel.Margins(ml, [model], valid.Select(r => r.Input).ToList()), clock.Elapsed);
                    }

                    perMember.Add(known.Margins);
                    elapsed += known.Elapsed;
                }
                else
                {
                    var clock = Stopwatch.StartNew();
                    perMember.Add(OutOfFoldBase(train, member, options, oofByBase, cancellationToken));
                    elapsed += clock.Elapsed;
                }
            }

            var rows = compareOn == "validation" ? valid : train;
            var r = Result(candidate, compareOn!, rows, Mean(perMember), elapsed);
            results.Add(r);
            LogCandidate(_logger, r.Learner, r.On, r.Auc, r.RecallAtFpr01Percent, r.RecallAtFpr1Percent, r.TrainSeconds);
        }

        var winner = results.Count == 0
            ? candidates[0]
            : Enum.Parse<SclLearner>(results
                .OrderByDescending(r => r.Auc)
                .ThenByDescending(r => r.RecallAtFpr01Percent)
                .First().Learner);

        var (calibration, mapping) = canCrossValidate
            ? Calibrate(train, winner, options, oofByBase, cancellationToken)
            : (PlattCalibration.Identity, SclMapping.Default);

        cancellationToken.ThrowIfCancellationRequested();
        var finalMl = new MLContext(options.Seed);
        var data = finalMl.Data.LoadFromEnumerable(train.Select(r => r.Input));
        var transformers = Members(winner).Select(m => Pipeline(finalMl, m, options).Fit(data)).ToArray();
        var info = new SclModelInfo
        {
            Learner = winner.ToString(),
            Seed = options.Seed,
            TrainingSpam = spam,
            TrainingHam = ham,
            CalibrationA = calibration.A,
            CalibrationB = calibration.B,
            CutPoints = mapping.CutPoints.ToArray(),
            Candidates = results.ToArray(),
        };
        LogTrained(_logger, winner.ToString(), calibration.A, calibration.B, string.Join(" ", mapping.CutPoints.Select(c => c.ToString("0.###"))));
        return new SclModel(finalMl, transformers, info, "unsaved");
    }

    /// <summary>
    /// Re-fits only the calibration and SCL cut points of <paramref name="model"/> from the same cross-validation
    /// <see cref="Train"/> runs (same files and seed give the same result), keeping its fitted learners.
    /// </summary>
    public SclModel Recalibrate(SclModel model, IReadOnlyList<LabeledFile> training, SclTrainingOptions options, CancellationToken cancellationToken = default)
    {
        var train = Featurise(training, cancellationToken);
        var learner = Enum.Parse<SclLearner>(model.Info.Learner);
        var (calibration, mapping) = Calibrate(train, learner, options, new Dictionary<SclLearner, double[]>(), cancellationToken);
        LogTrained(_logger, learner.ToString(), calibration.A, calibration.B, string.Join(" ", mapping.CutPoints.Select(c => c.ToString("0.###"))));
        return model.WithCalibration(calibration, mapping);
    }

    private (PlattCalibration, SclMapping) Calibrate(IReadOnlyList<Row> train, SclLearner learner, SclTrainingOptions options, Dictionary<SclLearner, double[]> oofByBase, CancellationToken ct)
    {
        var oof = Mean(Members(learner).Select(m => OutOfFoldBase(train, m, options, oofByBase, ct)).ToList());
        var labels = train.Select(r => r.Input.Label).ToList();
        var calibration = PlattCalibration.Fit(oof, labels);
        var hamLogOdds = oof.Where((_, i) => !labels[i]).Select(calibration.LogOdds).ToList();
        return (calibration, SclMapping.FromHamLogOdds(hamLogOdds));
    }

    private static SclLearner[] Members(SclLearner learner) =>
        learner == SclLearner.Ensemble ? [SclLearner.Linear, SclLearner.Trees] : [learner];

    private static double[] Mean(IReadOnlyList<double[]> margins)
    {
        var mean = new double[margins[0].Length];
        foreach (var m in margins)
        {
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += m[i] / margins.Count;
            }
        }

        return mean;
    }

    private double[] OutOfFoldBase(IReadOnlyList<Row> train, SclLearner learner, SclTrainingOptions options, Dictionary<SclLearner, double[]> cache, CancellationToken ct)
    {
        if (!cache.TryGetValue(learner, out var oof))
        {
            cache[learner] = oof = OutOfFold(train, learner, options, ct);
        }

        return oof;
    }

    /// <summary>The featurisation shared by both learners: hashed word 1-2-grams and character 4-grams of the text, hashed evidence tokens, and the numbers.</summary>
    private static IEstimator<ITransformer> Pipeline(MLContext ml, SclLearner learner, SclTrainingOptions options)
    {
        // Trees split on one slot at a time and slow down with every slot, so they get a coarser hash.
        var textBits = learner == SclLearner.Trees ? 12 : 18;
        var features = ml.Transforms.Text.NormalizeText("Words", nameof(ModelInput.Text), TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: false, keepPunctuations: false, keepNumbers: true)
            .Append(ml.Transforms.Text.ProduceHashedWordBags("WordBag", "Words", numberOfBits: textBits, ngramLength: 2, useAllLengths: true))
            .Append(ml.Transforms.NormalizeLpNorm("WordBag"))
            .Append(ml.Transforms.Text.NormalizeText("Lower", nameof(ModelInput.Text), TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: true, keepPunctuations: true, keepNumbers: true))
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Chars", "Lower", useMarkerCharacters: false))
            .Append(ml.Transforms.Text.ProduceHashedNgrams("CharGrams", "Chars", numberOfBits: textBits, ngramLength: 4, useAllLengths: false))
            .Append(ml.Transforms.NormalizeLpNorm("CharGrams"))
            .Append(ml.Transforms.Text.ProduceHashedWordBags("MetaBag", nameof(ModelInput.Meta), numberOfBits: learner == SclLearner.Trees ? 12 : 14, ngramLength: 1))
            .Append(ml.Transforms.NormalizeMinMax("NumbersScaled", nameof(ModelInput.Numbers)))
            .Append(ml.Transforms.Concatenate("Features", "WordBag", "CharGrams", "MetaBag", "NumbersScaled"));

        IEstimator<ITransformer> trainer = learner switch
        {
            SclLearner.Linear => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(ModelInput.Label),
                FeatureColumnName = "Features",
                L1Regularization = 0.01f,
                L2Regularization = 0.01f,
                OptimizationTolerance = 1e-6f,
                MaximumNumberOfIterations = 300,
                NumberOfThreads = 1,
            }),
            SclLearner.Trees => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = nameof(ModelInput.Label),
                FeatureColumnName = "Features",
                NumberOfLeaves = 31,
                NumberOfIterations = options.TreeIterations,
                LearningRate = 0.05,
                MinimumExampleCountPerLeaf = 10,
                Seed = options.Seed,
                NumberOfThreads = 2,
                Verbose = false,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(learner), "a base learner (Linear or Trees)"),
        };
        return features.Append(trainer);
    }

    /// <summary>Margins for each training row from a model that did not see it (folds by file-name hash).</summary>
    private double[] OutOfFold(IReadOnlyList<Row> train, SclLearner learner, SclTrainingOptions options, CancellationToken ct)
    {
        var oof = new double[train.Count];
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
            var model = Pipeline(ml, learner, options).Fit(ml.Data.LoadFromEnumerable(rest));
            var margins = SclModel.Margins(ml, [model], inFold.Select(x => x.r.Input).ToList());
            for (var k = 0; k < inFold.Count; k++)
            {
                oof[inFold[k].i] = margins[k];
            }

            LogFold(_logger, learner.ToString(), fold + 1, options.Folds);
        }

        return oof;
    }

    private static LearnerResult Result(SclLearner learner, string on, IReadOnlyList<Row> rows, IReadOnlyList<double> margins, TimeSpan elapsed)
    {
        var examples = rows.Select((r, i) => new ScoredExample(r.Input.Label, margins[i], 0)).ToList();
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

    private static IReadOnlyList<Row> Featurise(IReadOnlyList<LabeledFile> files, CancellationToken ct)
    {
        var rows = new Row[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            using var stream = File.OpenRead(files[i].Path);
            var (_, features) = FeatureExtractor.ExtractAsync(stream, ct).GetAwaiter().GetResult();
            rows[i] = new Row(files[i].Path, ModelInput.From(features, files[i].IsSpam));
        });
        return rows;
    }

    private sealed record Row(string Path, ModelInput Input)
    {
        public int Fold(int folds) => CorpusSplit.Bucket(Path) % folds;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training on {Spam} spam and {Ham} ham; {Validation} validation messages")]
    private static partial void LogData(ILogger logger, int spam, int ham, int validation);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Learner} on {On}: AUC {Auc:0.00000}, recall {R01:P2} at FPR<=0.1%, {R1:P2} at FPR<=1% ({Seconds}s)")]
    private static partial void LogCandidate(ILogger logger, string learner, string on, double auc, double r01, double r1, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Learner}: fold {Fold}/{Folds} done")]
    private static partial void LogFold(ILogger logger, string learner, int fold, int folds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept {Learner}; calibration A={A:G6} B={B:G6}; SCL cut points (log-odds) {CutPoints}")]
    private static partial void LogTrained(ILogger logger, string learner, double a, double b, string cutPoints);
}
