using MailGateway.Gateway.Delivery;

namespace MailGateway.Gateway.Tracking;

/// <summary>An administrator's judgement of one message (kept as a file for retraining at <see cref="Path"/>).</summary>
public sealed record FeedbackMark(string MessageId, FeedbackKind Kind, DateTimeOffset At, string Actor, string Path, string Node);
