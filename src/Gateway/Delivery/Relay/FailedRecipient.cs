namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>A recipient the relay gave up on: the enhanced status (RFC 3463) and what the next hop said.</summary>
public sealed record FailedRecipient(string Address, string Status, string Diagnostic, string? RemoteMta);
