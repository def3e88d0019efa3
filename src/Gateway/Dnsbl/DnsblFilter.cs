using MailGateway.Filters.AllowList;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Dnsbl;

/// <summary>
/// The DNS lists after DATA (<c>Filters:Order</c> name <c>Dnsbl</c>): a client listed below
/// <c>Dnsbl:RejectWeight</c>, whose mail RCPT let through, gets its summed weight times <c>Dnsbl:SclWeight</c> added
/// to the SCL the chain ends with (rounded, at least 1). The answers are those RCPT asked for, from the resolver's
/// cache. Relay networks and allow-list networks are not looked up, as at RCPT.
/// </summary>
public sealed partial class DnsblFilter(
    DnsListLookup lookup,
    AllowListService allowList,
    DnsblMetrics metrics,
    IOptions<DnsblOptions> options,
    ILogger<DnsblFilter> logger) : IMessageFilter
{
    public string Name => "Dnsbl";

    public FilterKind Kind => FilterKind.Policy;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var client = context.Envelope.ClientAddress;
        if (!lookup.HasZones || o.SclWeight <= 0)
        {
            return FilterStepResult.Continue("off");
        }

        if (context.Envelope.FromInternalClient || allowList.Evaluate("", null, client).Verdict == AllowListVerdict.Allowed)
        {
            return FilterStepResult.Continue("skipped-internal");
        }

        var score = await lookup.ScoreAsync(client, cancellationToken);
        if (score.Weight <= 0)
        {
            return FilterStepResult.Continue(score.Unanswered.Count > 0 ? "unanswered" : "not-listed");
        }

        var addition = Math.Clamp((int)Math.Round(score.Weight * o.SclWeight, MidpointRounding.AwayFromZero), 1, 9);
        context.AddSclAtEnd(addition);
        metrics.Scored(score.ListedBy[0]);
        LogListed(context.Id, client.ToString(), score.Weight, string.Join(",", score.ListedBy), addition);
        return FilterStepResult.Continue($"listed {string.Join(",", score.ListedBy)} weight {score.Weight:0.##}: SCL +{addition}");
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Message {MessageId}: client {ClientIp} listed (weight {Weight} on {Zones}); SCL +{SclAddition}")]
    private partial void LogListed(string messageId, string clientIp, double weight, string zones, int sclAddition);
}
