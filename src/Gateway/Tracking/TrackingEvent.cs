namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Something that happened to a message after its decision: a release, a spam or ham mark, the internal server's reply
/// in relay mode. <see cref="Kind"/> is one of <see cref="TrackingEventKinds"/>.
/// </summary>
public sealed record TrackingEvent(string MessageId, DateTimeOffset At, string Kind, string Detail, string Node);
