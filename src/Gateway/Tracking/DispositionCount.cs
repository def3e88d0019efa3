namespace MailGateway.Gateway.Tracking;

/// <summary>Messages received in one minute (its start, UTC) with one disposition.</summary>
public sealed record DispositionCount(DateTimeOffset Minute, string Disposition, long Count);
