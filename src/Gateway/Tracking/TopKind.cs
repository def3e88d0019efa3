namespace MailGateway.Gateway.Tracking;

/// <summary>What <see cref="ITrackingStore.TopAsync"/> groups unwanted mail by.</summary>
public enum TopKind
{
    Sender,
    SenderDomain,

    /// <summary>The client's /24 (IPv4) or /48 (IPv6).</summary>
    ClientNetwork,
}
