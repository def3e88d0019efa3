using System.Globalization;
using System.Net;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Messages;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// Decides whether a recipient may be accepted from a client: a domain we accept mail for, or any domain from a
/// relay network. Never an open relay: from outside the relay networks, address literals, and local parts that
/// could be re-routed by the next hop (percent hack, bang paths, '@' inside quotes) are refused too.
/// </summary>
public sealed class RelayPolicy : IRecipientPolicy
{
    private readonly HashSet<string> _domains;
    private readonly NetworkList _relayNetworks;

    public RelayPolicy(IOptions<SmtpOptions> options)
    {
        var idn = new IdnMapping();
        _domains = options.Value.AcceptedDomains
            .Select(d => idn.GetAscii(DomainName.Normalize(d)).ToLowerInvariant())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        _relayNetworks = new NetworkList(options.Value.RelayNetworks);
    }

    public bool IsRelayClient(IPAddress client) => _relayNetworks.Contains(client);

    public bool IsAcceptedDomain(MailPath path) => !path.IsAddressLiteral && _domains.Contains(path.AsciiDomain);

    public ValueTask<SmtpReply?> CheckAsync(RecipientCheck check, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Check(check.Recipient, check.Client));

    /// <summary>Null when the recipient is acceptable from <paramref name="client"/>; otherwise the 550 to send.</summary>
    public SmtpReply? Check(MailPath recipient, IPAddress client)
    {
        if (IsRelayClient(client))
        {
            return null;
        }

        if (!IsAcceptedDomain(recipient))
        {
            return SmtpReply.RelayDenied;
        }

        return recipient.HasRoutingCharacters ? SmtpReply.RoutingDenied : null;
    }
}
