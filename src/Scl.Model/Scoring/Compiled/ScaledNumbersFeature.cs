using MailGateway.Scl.Model.Input;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// The <see cref="ModelInput.Numbers"/> part of the <c>Features</c> vector after ML.NET's min-max normalizer:
/// <c>(x - offset) * scale</c> per slot, in float, with the scales and offsets the model learned (read from its
/// <c>NormalizingTransformer</c>; no offsets means zero offsets).
/// </summary>
internal sealed class ScaledNumbersFeature(float[] scale, float[] offset, int featuresOffset)
{
    public int Offset => featuresOffset;

    public int Length => scale.Length;

    public void AppendTo(ModelInput input, FeatureScratch scratch)
    {
        var numbers = input.Numbers;
        for (var i = 0; i < scale.Length; i++)
        {
            var x = i < numbers.Length ? numbers[i] : 0f;
            var value = offset.Length == 0 ? x * scale[i] : (x - offset[i]) * scale[i];
            if (value != 0)
            {
                scratch.Append(featuresOffset + i, value);
            }
        }
    }
}
