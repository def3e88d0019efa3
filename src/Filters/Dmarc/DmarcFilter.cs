using System.Globalization;
using System.Text.RegularExpressions;
using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailGateway.Filters.Dmarc;

/// <summary>
/// DMARC (RFC 7489) for the RFC 5322 From domain, over the SPF and DKIM results already recorded, and what follows:
/// p=reject refuses with 550 5.7.1 at the end of DATA, p=quarantine raises the SCL to the junk threshold at least.
/// A trusted ARC sealer's dmarc=pass overrides a failure (Dmarc:HonourArc); mail from outside claiming one of our
/// accepted domains without passing gets Dmarc:ProtectAction. Temperror never enforces anything. Runs last, so that
/// no later filter lowers the SCL it sets.
/// </summary>
public sealed partial class DmarcFilter(
    DmarcEvaluator evaluator,
    IOptions<DmarcOptions> options,
    ISenderOrigin origin,
    IJunkThreshold thresholds,
    AuthenticationMetrics metrics,
    ILogger<DmarcFilter> logger) : IMessageFilter
{
    public static RefuseDecision Refused(string domain) =>
        new(550, "5.7.1", $"Message refused: it fails the DMARC policy of {domain}");

    public string Name => "Dmarc";

    public FilterKind Kind => FilterKind.SenderAuthentication;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return FilterStepResult.Continue("off");
        }

        var message = await context.GetMimeMessageAsync(cancellationToken);
        var from = message is null ? null : SingleFromDomain(message);
        if (from is null)
        {
            // RFC 7489 6.6.1: without exactly one From domain there is nothing to align with.
            context.Authentication.Dmarc = new DmarcResult("permerror", "", null, "none", "not exactly one From domain");
            metrics.Result("dmarc", "permerror");
            return FilterStepResult.Continue("permerror");
        }

        var result = await evaluator.EvaluateAsync(from, context.Authentication.Spf, context.Authentication.Dkim,
            Random.Shared.Next(100), cancellationToken);
        var organisational = evaluator.Suffixes.OrganisationalDomain(from);
        if (o.ProtectAcceptedDomains && result.Result is "fail" or "none" or "permerror"
            && (origin.IsAcceptedDomain(from) || origin.IsAcceptedDomain(organisational))
            && Stronger(o.ProtectAction, result.Disposition))
        {
            result = result with
            {
                Disposition = o.ProtectAction.ToString().ToLowerInvariant(),
                Reason = $"From claims our domain {from} from outside without passing; {result.Reason}",
            };
        }

        if (result.Disposition != "none" && o.HonourArc && ArcOverride(context.Authentication.Arc, o) is { } sealer)
        {
            result = result with { Disposition = "none", Reason = $"ARC override: sealed by {sealer} with dmarc=pass" };
            metrics.Action("arc-override");
        }

        context.Authentication.Dmarc = result;
        metrics.Result("dmarc", result.Result);
        LogResult(AuthenticationLogLevel.Of(result.Result), context.Id, result.Result, from, result.Policy ?? "", result.Disposition, result.Reason);
        if (result.Disposition == "none")
        {
            metrics.Action("none");
            return FilterStepResult.Continue(result.Result);
        }

        // Enforced on allow-listed messages too: an allow rule for an envelope sender must not let it forge a
        // From domain that publishes p=reject.
        if (!o.Enforce)
        {
            metrics.Action("not-enforced");
            return FilterStepResult.Continue($"{result.Result}-{result.Disposition}-not-enforced");
        }

        metrics.Action(result.Disposition);
        if (result.Disposition == "reject")
        {
            context.Decision = Refused(from);
            return FilterStepResult.Stop($"{result.Result}-reject");
        }

        // A trusted message's SCL (-1) is raised too: SetScl is only held back by a keyword that forced it.
        context.SetScl(Math.Max(context.Scl ?? 0, thresholds.JunkThreshold));
        return FilterStepResult.Continue($"{result.Result}-quarantine");
    }

    private static bool Stronger(DmarcAction action, string disposition) =>
        (int)action > (disposition switch { "reject" => 2, "quarantine" => 1, _ => 0 });

    /// <summary>The trusted sealer whose passing ARC chain recorded dmarc=pass, or null.</summary>
    private static string? ArcOverride(ArcResult? arc, DmarcOptions o) =>
        arc is { Result: "pass", Sealer: { } sealer, SealedResults: { } aar }
        && o.TrustedArcSealers.Any(t => t.Equals(sealer, StringComparison.OrdinalIgnoreCase))
        && DmarcPass().IsMatch(aar)
            ? sealer
            : null;

    private static string? SingleFromDomain(MimeMessage message)
    {
        if (message.Headers.Count(h => h.Id == HeaderId.From) != 1 || message.From.Mailboxes.Count() != 1)
        {
            return null;
        }

        var domain = message.From.Mailboxes.First().Domain;
        if (string.IsNullOrWhiteSpace(domain))
        {
            return null;
        }

        try
        {
            return new IdnMapping().GetAscii(domain.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(^|[;\s])dmarc\s*=\s*pass\b", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex DmarcPass();

    [LoggerMessage(Message = "DMARC {DmarcResult} for message {MessageId}: From {FromDomain} p={DmarcPolicy} disposition {DmarcDisposition} ({DmarcReason})")]
    private partial void LogResult(LogLevel level, string messageId, string dmarcResult, string fromDomain, string dmarcPolicy,
        string dmarcDisposition, string dmarcReason);
}
