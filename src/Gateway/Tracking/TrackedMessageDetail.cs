namespace MailGateway.Gateway.Tracking;

/// <summary>One message's full record: the decision, each filter's outcome in chain order, and its events oldest first.</summary>
public sealed record TrackedMessageDetail(
    TrackedMessage Message,
    IReadOnlyList<FilterOutcome> Filters,
    IReadOnlyList<TrackingEvent> Events);
