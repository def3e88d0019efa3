namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// Why a message got its SCL: the score, and the margin broken down by feature (<see cref="SclModel.Explain"/>).
/// <see cref="Bias"/> + the sum of every <see cref="SclReason.Margin"/> + <see cref="UnexplainedMargin"/> is
/// <see cref="Margin"/> (features whose weight is zero have no share and are left out).
/// </summary>
public sealed record SclExplanation
{
    /// <summary>Smallest share of the log-odds (either way) worth naming as a reason.</summary>
    public const double SmallestReason = 0.05;

    /// <summary>The model that explained (its <see cref="SclModel.Id"/>).</summary>
    public required string ModelId { get; init; }

    /// <summary>The combined margin, as the scorer computes it.</summary>
    public required double Margin { get; init; }

    public required double LogOdds { get; init; }

    public required double Probability { get; init; }

    public required int Scl { get; init; }

    /// <summary>The linear members' bias: the margin of a message with no features at all.</summary>
    public required double Bias { get; init; }

    /// <summary>
    /// The part of the margin not broken down: the tree member's of an Ensemble (a tree's split on one feature depends
    /// on the others, so its margin has no exact share per feature); 0 for a linear model.
    /// </summary>
    public required double UnexplainedMargin { get; init; }

    /// <summary><see cref="UnexplainedMargin"/> in calibrated log-odds.</summary>
    public required double UnexplainedLogOdds { get; init; }

    /// <summary>True when the model has a tree member: the reasons are those of its linear part only.</summary>
    public required bool LinearPartOnly { get; init; }

    /// <summary>Every feature with a share of the margin (not zero), the most spam-like first.</summary>
    public required IReadOnlyList<SclReason> Reasons { get; init; }

    /// <summary>The <paramref name="count"/> reasons that pushed most toward spam (at least <see cref="SmallestReason"/>).</summary>
    public IReadOnlyList<SclReason> TowardSpam(int count) =>
        Reasons.Where(r => r.LogOdds >= SmallestReason).Take(count).ToList();

    /// <summary>The <paramref name="count"/> reasons that pushed most toward ham (at least <see cref="SmallestReason"/>).</summary>
    public IReadOnlyList<SclReason> TowardHam(int count) =>
        Reasons.Reverse().Where(r => r.LogOdds <= -SmallestReason).Take(count).ToList();
}
