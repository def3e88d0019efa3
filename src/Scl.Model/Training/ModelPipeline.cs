using MailGateway.Scl.Model.Input;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace MailGateway.Scl.Model.Training;

/// <summary>
/// The ML.NET pieces of a model: one featurizer, shared by every member learner so a message is featurised once,
/// and the learners that read its output.
/// </summary>
internal static class ModelPipeline
{
    /// <summary>
    /// Hashed word 1-2-grams and character 4-grams of the text (2^18 slots each, each block scaled to the L2 norm
    /// <see cref="SclTrainingOptions.WordGramNorm"/> or <see cref="SclTrainingOptions.CharGramNorm"/>), hashed evidence
    /// tokens (2^14 slots) and the min-max scaled numbers; plus the same vector cut down to the slots that are
    /// non-zero in at least <see cref="SclTrainingOptions.TreeMinimumSlotCount"/> training messages. A tree cannot
    /// make a useful split on a rarer slot, and LightGBM's cost grows with every slot.
    /// </summary>
    public static IEstimator<ITransformer> Featurizer(MLContext ml, SclTrainingOptions options) =>
        ml.Transforms.Text.NormalizeText("Words", nameof(ModelInput.Text), TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: false, keepPunctuations: false, keepNumbers: true)
            .Append(ml.Transforms.Text.ProduceHashedWordBags("WordBag", "Words", numberOfBits: 18, ngramLength: 2, useAllLengths: true))
            .Append(ScaledL2(ml, "WordBag", options.WordGramNorm))
            .Append(ml.Transforms.Text.NormalizeText("Lower", nameof(ModelInput.Text), TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: true, keepPunctuations: true, keepNumbers: true))
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Chars", "Lower", useMarkerCharacters: false))
            .Append(ml.Transforms.Text.ProduceHashedNgrams("CharGrams", "Chars", numberOfBits: 18, ngramLength: 4, useAllLengths: false))
            .Append(ScaledL2(ml, "CharGrams", options.CharGramNorm))
            .Append(ml.Transforms.Text.ProduceHashedWordBags("MetaBag", nameof(ModelInput.Meta), numberOfBits: 14, ngramLength: 1))
            .Append(ml.Transforms.NormalizeMinMax("NumbersScaled", nameof(ModelInput.Numbers)))
            .Append(ml.Transforms.Concatenate(FeatureColumns.Features, FeatureColumns.FeatureParts))
            .Append(TreeSlots(ml, options));

    // Global contrast normalisation without the mean or the deviation is the L2 norm times a scale, stored in the
    // model as an LpNormNormalizingTransformer: the compiled featurizer reads the scale from it.
    private static IEstimator<ITransformer> ScaledL2(MLContext ml, string column, double norm) =>
        ml.Transforms.NormalizeGlobalContrast(column, ensureZeroMean: false, ensureUnitStandardDeviation: false, scale: (float)norm);

    // TreeStructuralOnly: the evidence tokens and numbers only (issue #17 measurement), selected by the same count.
    private static IEstimator<ITransformer> TreeSlots(MLContext ml, SclTrainingOptions options) => options.TreeStructuralOnly
        ? ml.Transforms.Concatenate("Structural", "MetaBag", "NumbersScaled")
            .Append(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(FeatureColumns.TreeFeatures, "Structural", options.TreeMinimumSlotCount))
        : ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(FeatureColumns.TreeFeatures, FeatureColumns.Features, options.TreeMinimumSlotCount);

    /// <summary>A base learner over the featurizer's output; its Score column is a logistic-loss margin.</summary>
    public static IEstimator<ITransformer> Learner(MLContext ml, SclLearner learner, SclTrainingOptions options) => learner switch
    {
        SclLearner.Linear => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(ModelInput.Label),
            FeatureColumnName = FeatureColumns.Features,
            ExampleWeightColumnName = nameof(ModelInput.Weight),
            L1Regularization = (float)options.LinearL1,
            // 0.1 rather than 0.01: out of fold, recall at FPR <= 0.1% to 1% rose and AUC held (docs/scl-model.md).
            L2Regularization = (float)options.LinearL2,
            OptimizationTolerance = 1e-6f,
            MaximumNumberOfIterations = 300,
            NumberOfThreads = 1,
        }),
        SclLearner.Trees => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = nameof(ModelInput.Label),
            FeatureColumnName = FeatureColumns.TreeFeatures,
            ExampleWeightColumnName = nameof(ModelInput.Weight),
            NumberOfLeaves = options.TreeLeaves,
            NumberOfIterations = options.TreeIterations,
            LearningRate = options.TreeLearningRate,
            MinimumExampleCountPerLeaf = options.TreeMinimumPerLeaf,
            // Each tree sees half the slots (by default): with thousands of sparse n-gram slots, trees that cannot all lean on the
            // same few words generalise better (out of fold: higher AUC and recall at FPR <= 1%).
            Booster = new GradientBooster.Options { FeatureFraction = options.TreeFeatureFraction, L2Regularization = options.TreeL2 },
            Seed = options.Seed,
            NumberOfThreads = 2,
            Verbose = false,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(learner), "a base learner (Linear or Trees)"),
    };

    /// <summary>The member learners of <paramref name="learner"/>, in the order their weights are stored.</summary>
    public static SclLearner[] Members(SclLearner learner) =>
        learner == SclLearner.Ensemble ? [SclLearner.Linear, SclLearner.Trees] : [learner];
}
