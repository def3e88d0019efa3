namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// One reason for a score: a feature of the message in words ("the subject", "URLs to 3 domains", "no Message-ID") and
/// how far it moved the score, exactly, as the linear model adds it up (<see cref="SclModel.Explain"/>).
/// </summary>
/// <param name="Feature">What the model looked at, in words an administrator understands.</param>
/// <param name="Margin">Its share of the model's margin (weight times feature value, summed over the feature's slots).</param>
/// <param name="LogOdds">The same share in calibrated log-odds of spam: positive toward spam, negative toward ham.</param>
/// <param name="Tokens">The words or evidence of this feature that moved the score most in the same direction (up to three), or none.</param>
public sealed record SclReason(string Feature, double Margin, double LogOdds, IReadOnlyList<string> Tokens);
