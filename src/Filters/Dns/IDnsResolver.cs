using System.Net;

namespace MailGateway.Filters.Dns;

/// <summary>
/// The lookups the sender-authentication stages need (SPF, DKIM, DMARC), over the one shared resolver; an interface
/// so that their rules can be tested against records a test writes down.
/// </summary>
public interface IDnsResolver
{
    /// <summary>A records.</summary>
    Task<DnsAnswer<IPAddress>> AddressesAsync(string name, CancellationToken cancellationToken);

    /// <summary>AAAA records.</summary>
    Task<DnsAnswer<IPAddress>> Ipv6AddressesAsync(string name, CancellationToken cancellationToken);

    /// <summary>TXT records, each record's strings joined.</summary>
    Task<DnsAnswer<string>> TextAsync(string name, CancellationToken cancellationToken);

    /// <summary>MX records' exchange names, by preference.</summary>
    Task<DnsAnswer<string>> MailExchangesAsync(string name, CancellationToken cancellationToken);

    /// <summary>PTR records' names for an address.</summary>
    Task<DnsAnswer<string>> PointersAsync(IPAddress address, CancellationToken cancellationToken);
}
