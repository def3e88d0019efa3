using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// The columns read back from the scoring chain: each member learner's uncalibrated margin, and the featurizer's
/// vector for the members scored outside ML.NET (<see cref="Compiled.CompiledTreeEnsemble"/>).
/// </summary>
internal sealed class MemberScores
{
    /// <summary>Members a model may have (one column each below).</summary>
    public const int MaxMembers = 2;

    public VBuffer<float> Features { get; set; }

    public float Score0 { get; set; }

    public float Score1 { get; set; }

    public float Of(int member) => member == 0 ? Score0 : Score1;

    public static string Column(int member) => $"Score{member}";
}
