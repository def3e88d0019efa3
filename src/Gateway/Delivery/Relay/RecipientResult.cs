namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>The result of one attempt for one recipient.</summary>
public enum RecipientResult
{
    Delivered,

    /// <summary>4xx, a refused connection, a timeout: retried by <c>Relay:RetrySchedule</c>.</summary>
    Transient,

    /// <summary>5xx: bounced.</summary>
    Permanent,
}
