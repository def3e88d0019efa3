namespace MailGateway.Filters.Dns;

/// <summary>
/// The <c>Dns</c> section: the one resolver every stage shares (DNS lists, recipient checks, and later SPF, DKIM
/// and DMARC).
/// </summary>
public sealed class DnsOptions
{
    public const string Section = "Dns";

    /// <summary>Resolvers as <c>address:port</c> (<c>127.0.0.1:5353</c>, <c>[::1]:53</c>); empty means the system's.</summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>Time for one query to one server before the next try (and, after the last, a temporary failure).</summary>
    public int TimeoutMilliseconds { get; set; } = 2000;

    /// <summary>Further tries of a query that timed out.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>
    /// How long a name that does not exist, a name without the asked-for records, or a server failure is remembered
    /// (RFC 2308's negative caching; answers that were found are kept for their own TTL). 0 asks again every time.
    /// </summary>
    public int NegativeCacheSeconds { get; set; } = 30;
}
