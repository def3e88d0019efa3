using System.Globalization;
using System.Net;
using MailGateway.Filters.Authentication;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>Smtp:RelayNetworks and Smtp:AcceptedDomains as the sender-authentication stages see them.</summary>
public sealed class SmtpSenderOrigin(RelayPolicy relay, IOptions<SmtpOptions> options) : ISenderOrigin
{
    private readonly HashSet<string> _domains = options.Value.AcceptedDomains
        .Select(d => new IdnMapping().GetAscii(DomainName.Normalize(d)).ToLowerInvariant())
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public bool IsInternalClient(IPAddress client) => relay.IsRelayClient(client);

    public bool IsAcceptedDomain(string domain) => _domains.Contains(domain.TrimEnd('.'));
}
