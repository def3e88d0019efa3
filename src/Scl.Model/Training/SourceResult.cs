namespace MailGateway.Scl.Model.Training;

/// <summary>One source left out: its ham (against the other sources' spam) or its spam (against their ham).</summary>
public sealed record SourceResult(string Source, bool HeldSpam, int Count, RankMetrics Metrics, Confusion Confusion);
