namespace MailGateway.Filters.Dmarc;

/// <summary>The <c>Dmarc</c> section.</summary>
public sealed class DmarcOptions
{
    public const string Section = "Dmarc";

    /// <summary>Evaluate and record DMARC (Authentication-Results, trace, metrics).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Carry out the sender's policy: reject → 550 5.7.1 after DATA, quarantine → SCL raised to the junk threshold.</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>Mail from outside with one of Smtp:AcceptedDomains in From that does not pass DMARC is refused or scored.</summary>
    public bool ProtectAcceptedDomains { get; set; } = true;

    /// <summary>What ProtectAcceptedDomains does: <c>Reject</c> (550 5.7.1) or <c>Quarantine</c> (junk threshold).</summary>
    public DmarcAction ProtectAction { get; set; } = DmarcAction.Quarantine;

    /// <summary>
    /// Honour ARC (RFC 8617): a failing message whose ARC chain passes, sealed last by one of
    /// <see cref="TrustedArcSealers"/> that recorded dmarc=pass, is delivered as if it passed (a mailing list, a forwarder).
    /// </summary>
    public bool HonourArc { get; set; } = true;

    /// <summary>ARC sealer domains (d= of the newest ARC-Seal) whose results are believed; empty: none is.</summary>
    public List<string> TrustedArcSealers { get; set; } = [];

    /// <summary>The public suffix list; missing means only the implicit "*" rule (logged at start).</summary>
    public string PublicSuffixList { get; set; } = Dmarc.PublicSuffixList.DebianPath;
}

/// <summary>What DMARC does to a message that fails.</summary>
public enum DmarcAction
{
    None,
    Quarantine,
    Reject,
}
