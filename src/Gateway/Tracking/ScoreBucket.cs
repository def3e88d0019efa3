namespace MailGateway.Gateway.Tracking;

/// <summary>
/// One bar of an SCL or BCL histogram: messages with this score, and how many of them an administrator later judged
/// otherwise or confirmed: released (or marked as ham), and marked as spam. Tuning the thresholds reads these.
/// </summary>
public sealed record ScoreBucket(int Score, long Messages, long ReleasedAsHam, long MarkedAsSpam);
