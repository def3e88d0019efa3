namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>What the first line of a queue file held: the entry, and the offset where the message starts.</summary>
public readonly record struct QueueEnvelopeRead(QueueEnvelopeKind Kind, QueueEntry? Entry, long MessageOffset);
