using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>A member learner scored outside ML.NET on the featurizer's <c>Features</c> vector, checked against ML.NET at load.</summary>
internal interface ICompiledMember
{
    /// <summary>Floats of scratch space <see cref="Margin(in VBuffer{float}, float[])"/> needs.</summary>
    int ScratchLength { get; }

    /// <summary>The member's raw output (ML.NET's uncalibrated Score) for a <c>Features</c> vector read from ML.NET.</summary>
    double Margin(in VBuffer<float> features, float[] scratch);

    /// <summary>The same for a sparse vector in any slot order (<see cref="CompiledTextFeaturizer"/>'s output).</summary>
    double Margin(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float[] scratch);
}
