using System.Net;

namespace MailGateway.Filters.Spf;

/// <summary>
/// One parsed mechanism: its qualifier's result, name, domain-spec (still with macros), and for ip4/ip6/a/mx the
/// network and prefix lengths (IPv4 and IPv6, RFC 7208 5.6's dual-cidr-length).
/// </summary>
public sealed record SpfDirective(SpfResult Qualifier, string Mechanism, string? Argument, IPAddress? Network, int Prefix,
    int Prefix6, string Text);
