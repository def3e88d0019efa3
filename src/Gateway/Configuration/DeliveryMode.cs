namespace MailGateway.Gateway.Configuration;

/// <summary><c>Delivery:Mode</c>: keep mailboxes here, or hand mail to the internal server.</summary>
public enum DeliveryMode
{
    /// <summary>Local Maildirs (the embedded mode of the quick start).</summary>
    Maildir,

    /// <summary>A durable queue towards <c>Relay:SmartHost</c> / <c>Relay:Routes</c>.</summary>
    Relay,
}
