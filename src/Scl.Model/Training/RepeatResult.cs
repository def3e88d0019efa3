namespace MailGateway.Scl.Model.Training;

/// <summary>One repeat of the cross-validation (one seed): its ranking figures and its confusion at the thresholds.</summary>
public sealed record RepeatResult(int Seed, RankMetrics Metrics, Confusion Confusion);
