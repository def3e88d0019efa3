namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>What a next hop said about one recipient in one attempt.</summary>
public sealed record RecipientOutcome(string Address, RecipientResult Result, string Status, string Diagnostic);
