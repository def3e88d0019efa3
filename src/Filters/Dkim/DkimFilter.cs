using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace MailGateway.Filters.Dkim;

/// <summary>
/// Verifies the message's DKIM signatures (RFC 6376) with MimeKit's <see cref="DkimVerifier"/>, at most
/// <see cref="DkimOptions.MaxSignatures"/> of them, each recorded as pass, fail, neutral (a malformed signature),
/// policy (rsa-sha1, RFC 8301), temperror (no DNS answer) or permerror (no key, or a key that is not a key).
/// </summary>
public sealed partial class DkimFilter(
    DnsDkimKeyLocator locator,
    IOptions<DkimOptions> options,
    AuthenticationMetrics metrics,
    ILogger<DkimFilter> logger) : IMessageFilter
{
    private readonly DkimVerifier _verifier = new(locator);

    public string Name => "Dkim";

    public FilterKind Kind => FilterKind.SenderAuthentication;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return FilterStepResult.Continue("off");
        }

        var message = await context.GetMimeMessageAsync(cancellationToken);
        context.Authentication.DkimChecked = true;
        if (message is null)
        {
            metrics.Result("dkim", "none");
            return FilterStepResult.Continue("none-unparsable");
        }

        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        foreach (var signature in signatures.Take(o.MaxSignatures))
        {
            var result = await VerifyAsync(message, signature, timeout.Token, cancellationToken);
            context.Authentication.AddDkim(result);
            metrics.Result("dkim", result.Result);
            LogSignature(AuthenticationLogLevel.Of(result.Result), context.Id, result.Result, result.Domain, result.Selector, result.Reason);
        }

        if (signatures.Count > o.MaxSignatures)
        {
            context.AddNote($"dkim: {signatures.Count - o.MaxSignatures} signatures over Dkim:MaxSignatures not checked");
        }

        if (signatures.Count == 0)
        {
            metrics.Result("dkim", "none");
            return FilterStepResult.Continue("none");
        }

        var results = context.Authentication.Dkim;
        var pass = results.Count(r => r.Result == "pass");
        return FilterStepResult.Continue(pass > 0 ? $"pass({pass}/{signatures.Count})" : $"{results[0].Result}({signatures.Count})");
    }

    private async Task<DkimResult> VerifyAsync(MimeMessage message, Header signature, CancellationToken token,
        CancellationToken outer)
    {
        var tags = DkimTags.Parse(signature.Value);
        var domain = tags.GetValueOrDefault("d", "");
        var selector = tags.GetValueOrDefault("s", "");
        if (tags.GetValueOrDefault("a", "").Equals("rsa-sha1", StringComparison.OrdinalIgnoreCase))
        {
            return new DkimResult("policy", domain, selector, "rsa-sha1 is not accepted (RFC 8301)");
        }

        try
        {
            var valid = await _verifier.VerifyAsync(message, signature, token);
            return new DkimResult(valid ? "pass" : "fail", domain, selector, valid ? "verified" : "signature or body hash does not verify");
        }
        catch (DkimKeyException ex)
        {
            return new DkimResult(ex.Temporary ? "temperror" : "permerror", domain, selector, ex.Message);
        }
        catch (OperationCanceledException) when (!outer.IsCancellationRequested)
        {
            return new DkimResult("temperror", domain, selector, "no answer in time");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or ParseException)
        {
            return new DkimResult("neutral", domain, selector, $"malformed signature ({ex.Message})");
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Crypto.CryptoException or InvalidCastException)
        {
            return new DkimResult("permerror", domain, selector, $"unusable key ({ex.GetType().Name})");
        }
    }

    [LoggerMessage(Message = "DKIM {DkimResult} for message {MessageId}: d={DkimDomain} s={DkimSelector} ({DkimReason})")]
    private partial void LogSignature(LogLevel level, string messageId, string dkimResult, string dkimDomain, string dkimSelector,
        string dkimReason);
}
