namespace MailGateway.Gateway.Dnsbl;

/// <summary>
/// The <c>Dnsbl</c> and <c>Dnswl</c> sections: block lists whose weights add up, allow lists whose weights are taken
/// off, and the score at which the client is refused at RCPT.
/// </summary>
public sealed class DnsblOptions
{
    public const string Section = "Dnsbl";
    public const string AllowSection = "Dnswl";

    /// <summary>Block lists (empty by default: see docs/dns-lists.md for the common ones and their terms).</summary>
    public List<DnsListZone> Zones { get; set; } = [];

    /// <summary>Allow lists (<c>Dnswl:Zones</c>): a listing takes its weight off the score.</summary>
    public List<DnsListZone> AllowZones { get; set; } = [];

    /// <summary>The score at or above which RCPT gets 554 5.7.1 (postscreen_dnsbl_threshold).</summary>
    public double RejectWeight { get; set; } = 1;

    /// <summary>
    /// SCL points per unit of weight for a client listed below <see cref="RejectWeight"/> (the <c>Dnsbl</c> filter adds
    /// the rounded product, at least 1, to the SCL the chain ends with); 0 turns that off.
    /// </summary>
    public double SclWeight { get; set; } = 3;
}
