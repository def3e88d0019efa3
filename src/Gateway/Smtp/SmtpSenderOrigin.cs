using System.Globalization;
using MailGateway.Filters.Authentication;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>Smtp:AcceptedDomains as the DMARC stage sees them.</summary>
public sealed class SmtpSenderOrigin(IOptions<SmtpOptions> options) : ISenderOrigin
{
    private readonly HashSet<string> _domains = options.Value.AcceptedDomains
        .Select(d => new IdnMapping().GetAscii(DomainName.Normalize(d)).ToLowerInvariant())
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public bool IsAcceptedDomain(string domain) => _domains.Contains(domain.TrimEnd('.'));
}
