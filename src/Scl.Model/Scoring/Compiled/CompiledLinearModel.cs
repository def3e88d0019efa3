using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// A linear learner (the L-BFGS logistic regression member) scored outside ML.NET: its bias plus the dot product of
/// its weights (read from the loaded model) with the <c>Features</c> vector, which is ML.NET's Score before the
/// calibrator. Accumulated in double; <see cref="LinearMemberCompiler"/> checks it against ML.NET's own Score at load.
/// </summary>
internal sealed class CompiledLinearModel(float[] weights, float bias) : ICompiledMember
{
    public int ScratchLength => 0;

    public int FeaturesLength => weights.Length;

    /// <summary>The learned weight of each <c>Features</c> slot (for explaining a score).</summary>
    public ReadOnlySpan<float> Weights => weights;

    /// <summary>The margin of a message whose <c>Features</c> are all zero.</summary>
    public float Bias => bias;

    public double Margin(in VBuffer<float> features, float[] scratch)
    {
        var values = features.GetValues();
        if (features.IsDense)
        {
            double sum = bias;
            for (var i = 0; i < values.Length; i++)
            {
                sum += (double)weights[i] * values[i];
            }

            return sum;
        }

        return Margin(features.GetIndices(), values, scratch);
    }

    public double Margin(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float[] scratch)
    {
        double sum = bias;
        for (var k = 0; k < indices.Length; k++)
        {
            sum += (double)weights[indices[k]] * values[k];
        }

        return sum;
    }
}
