namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>One hop of one queued message, handed from the scheduler to a delivery agent.</summary>
public sealed record RelayWorkItem(QueueEntry Entry, string NextHop);
