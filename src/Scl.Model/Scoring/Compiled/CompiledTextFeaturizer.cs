using MailGateway.Scl.Model.Input;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// The model's featurizer computed without ML.NET: the same <c>Features</c> vector (slot numbers and values) as
/// <c>Training/ModelPipeline.Featurizer</c>, for one <see cref="ModelInput"/> at a time, with no data view, cursor,
/// getter or VBuffer plumbing per message and nothing allocated per message (the buffers are a pooled
/// <see cref="FeatureScratch"/>). Built and checked against ML.NET by <see cref="TextFeaturizerCompiler"/>.
/// </summary>
internal sealed class CompiledTextFeaturizer
{
    private readonly HashedBagFeature[] _bags;
    private readonly ScaledNumbersFeature? _numbers;
    private readonly Action<FeatureScratch>? _perturb;

    public CompiledTextFeaturizer(IEnumerable<HashedBagFeature> bags, ScaledNumbersFeature? numbers, int featuresLength,
        Action<FeatureScratch>? perturb = null)
    {
        _bags = bags.ToArray();
        _numbers = numbers;
        FeaturesLength = featuresLength;
        _perturb = perturb;
    }

    /// <summary>The hashed bags, in the order of their slots.</summary>
    public IReadOnlyList<HashedBagFeature> Bags => _bags;

    /// <summary>The scaled numbers (the last slots), or null when the model has none.</summary>
    public ScaledNumbersFeature? Numbers => _numbers;

    /// <summary>Slots in the <c>Features</c> vector.</summary>
    public int FeaturesLength { get; }

    public FeatureScratch CreateScratch() => new(FeaturesLength);

    /// <summary>Writes the non-zero slots of <paramref name="input"/>'s <c>Features</c> vector into <paramref name="scratch"/>.</summary>
    public void Featurize(ModelInput input, FeatureScratch scratch)
    {
        scratch.Reset();
        foreach (var bag in _bags)
        {
            bag.AppendTo(input, scratch);
        }

        _numbers?.AppendTo(input, scratch);
        _perturb?.Invoke(scratch);
    }
}
