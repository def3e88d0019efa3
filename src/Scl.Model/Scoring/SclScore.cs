using MailGateway.Scl.Model.Features;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>The verdict on one message.</summary>
public sealed record SclScore
{
    /// <summary>Calibrated probability that the message is spam, 0..1.</summary>
    public required double Probability { get; init; }

    /// <summary>Calibrated log-odds of spam; ranks messages without the rounding of <see cref="Probability"/> near 0 and 1.</summary>
    public required double LogOdds { get; init; }

    /// <summary>Spam confidence level 0..9 (Exchange style): 4 and above is junk by default, 7 and above is archived.</summary>
    public required int Scl { get; init; }

    /// <summary>Why: the model, the probability, and anything unusual about the input (parse failures, no text...).</summary>
    public required IReadOnlyList<string> TraceNotes { get; init; }

    /// <summary>What was measured on the message, for the filters that come after the model.</summary>
    public required MessageFeatures Features { get; init; }
}
