using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Spf;

/// <summary>
/// Checks the envelope sender (or the HELO name for the null sender) against the client address, and records the
/// result for Authentication-Results and DMARC. The chain does not run it for mail from the relay networks (it is ours,
/// <see cref="FilterKind.SenderAuthentication"/>). The evaluation was usually started when DATA began
/// (<see cref="SpfChecksInFlight"/>), so its lookups ran while the body arrived.
/// </summary>
public sealed partial class SpfFilter(
    SpfChecksInFlight checks,
    IOptions<SpfOptions> options,
    AuthenticationMetrics metrics,
    ILogger<SpfFilter> logger) : IMessageFilter
{
    public const string FilterName = "Spf";

    public string Name => FilterName;

    public FilterKind Kind => FilterKind.SenderAuthentication;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var envelope = context.Envelope;
        if (!o.Enabled)
        {
            return FilterStepResult.Continue("off");
        }

        var verdict = await checks.TakeOrEvaluateAsync(envelope.ClientAddress, envelope.Sender, envelope.HeloName,
            cancellationToken);
        context.Authentication.Spf = verdict;
        metrics.Result("spf", verdict.ResultName);
        LogVerdict(AuthenticationLogLevel.Of(verdict.ResultName), context.Id, verdict.ResultName, verdict.Scope, verdict.Identity, envelope.ClientAddress.ToString(), verdict.Reason);
        return FilterStepResult.Continue(verdict.ResultName);
    }

    [LoggerMessage(Message = "SPF {SpfResult} for message {MessageId}: {SpfScope} {SpfIdentity} from {ClientIp} ({SpfReason})")]
    private partial void LogVerdict(LogLevel level, string messageId, string spfResult, string spfScope, string spfIdentity, string clientIp,
        string spfReason);
}
