namespace MailGateway.Scl.Model.Input;

/// <summary>
/// The featurizer's output columns a model's members read: the training pipeline writes them and the scorer (and its
/// compiled path) reads them by these names.
/// </summary>
internal static class FeatureColumns
{
    /// <summary>The featurizer's output the linear learner reads: every slot.</summary>
    public const string Features = "Features";

    /// <summary>The featurizer's output the tree learner reads: only slots seen in enough training messages.</summary>
    public const string TreeFeatures = "TreeFeatures";

    /// <summary>The columns <see cref="Features"/> is concatenated from, in its order.</summary>
    public static readonly string[] FeatureParts = ["WordBag", "CharGrams", "MetaBag", "NumbersScaled"];
}
