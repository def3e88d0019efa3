namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// What the SCL steps of a model mean on mail its learners had not seen: for SCL 1..9, the share of ham and the share
/// of spam at or above it.
/// </summary>
public sealed record SclMeaning(double[] Ham, double[] Spam);
