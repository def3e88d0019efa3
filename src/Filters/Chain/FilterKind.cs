namespace MailGateway.Filters.Chain;

/// <summary>Which messages a filter may be skipped for, and what its failure means (<see cref="FilterOptions.ErrorActionFor"/>).</summary>
public enum FilterKind
{
    /// <summary>Always runs (antivirus): a trusted sender can still send a virus. A failure refuses with 4xx.</summary>
    Security,

    /// <summary>Spam scoring: skipped once the message is trusted (SCL -1). A failure goes on without it.</summary>
    Spam,

    /// <summary>Decides trust itself (the allow-list). A failure goes on without it.</summary>
    Policy,

    /// <summary>
    /// Checks who sent the message (SPF, DKIM, ARC, DMARC). Runs for trusted messages; not run for mail from the
    /// gateway's own relay networks (<see cref="MessageEnvelope.FromInternalClient"/>, trace <c>skipped-internal</c>).
    /// A failure goes on without it, as for <see cref="Policy"/>.
    /// </summary>
    SenderAuthentication,
}
