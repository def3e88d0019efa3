using MailGateway.Filters.AllowList;
using MailGateway.Gateway.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Dnsbl;

/// <summary>
/// The DNS lists at RCPT: a client whose summed weight reaches <c>Dnsbl:RejectWeight</c> gets
/// <c>554 5.7.1 Service unavailable; client [addr] blocked using zone</c> (postscreen's words) before any data moves.
/// Clients in <c>Smtp:RelayNetworks</c> or an allow-list network are not looked up; a list that does not answer
/// counts as not listing (a DNS failure never refuses mail).
/// </summary>
public sealed class DnsblRecipientPolicy(
    DnsListLookup lookup,
    RelayPolicy relay,
    AllowListService allowList,
    DnsblMetrics metrics,
    IOptions<DnsblOptions> options,
    ILogger<DnsblRecipientPolicy> logger) : IRecipientPolicy
{
    public async ValueTask<SmtpReply?> CheckAsync(RecipientCheck check, CancellationToken cancellationToken)
    {
        if (!lookup.HasZones || relay.IsRelayClient(check.Client)
            || allowList.Evaluate("", null, check.Client).Verdict == AllowListVerdict.Allowed)
        {
            return null;
        }

        var score = await lookup.ScoreAsync(check.Client, cancellationToken);
        if (score.Unanswered.Count > 0)
        {
            logger.LogWarning("Session {SessionId}: DNS lists {Zones} did not answer for {ClientIp}; counted as not listing",
                check.SessionId, score.Unanswered, check.Client);
        }

        if (score.Weight < options.Value.RejectWeight)
        {
            return null;
        }

        metrics.Blocked(score.ListedBy[0]);
        logger.LogWarning("Session {SessionId}: client {ClientIp} blocked (weight {Weight} on {Zones}); recipient {Recipient} refused",
            check.SessionId, check.Client, score.Weight, score.ListedBy, check.Recipient.Address);
        return SmtpReply.BlockedByDnsList(check.Client, score.ListedBy[0]);
    }
}
