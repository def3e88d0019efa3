namespace MailGateway.Gateway.Configuration;

/// <summary><c>Relay:Tls</c>: whether the relay uses STARTTLS towards the next hop.</summary>
public enum RelayTlsMode
{
    /// <summary>Plain SMTP, even when the next hop offers STARTTLS.</summary>
    None,

    /// <summary>STARTTLS when the next hop offers it (opportunistic; the certificate is not checked).</summary>
    StartTlsWhenAvailable,

    /// <summary>STARTTLS or no delivery (a transient failure, so the message waits in the queue).</summary>
    StartTlsRequired,
}
