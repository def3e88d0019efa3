using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using MailGateway.Filters.Dkim;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace MailGateway.Filters.Arc;

/// <summary>
/// Verifies the ARC chain (RFC 8617) with MimeKit's <see cref="ArcVerifier"/>: none, pass or fail, and for a pass
/// the newest sealer's domain and what it recorded (its ARC-Authentication-Results), which DMARC may honour.
/// </summary>
public sealed partial class ArcFilter(
    DnsDkimKeyLocator locator,
    IOptions<ArcOptions> options,
    AuthenticationMetrics metrics,
    ILogger<ArcFilter> logger) : IMessageFilter
{
    private readonly ArcVerifier _verifier = new(locator);

    public string Name => "Arc";

    public FilterKind Kind => FilterKind.SenderAuthentication;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return FilterStepResult.Continue("off");
        }

        var message = await context.GetMimeMessageAsync(cancellationToken);
        if (message is null || !message.Headers.Contains(HeaderId.ArcSeal))
        {
            context.Authentication.Arc = new ArcResult("none", null, "no ARC set");
            metrics.Result("arc", "none");
            return FilterStepResult.Continue("none");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        ArcResult result;
        try
        {
            var validation = await _verifier.VerifyAsync(message, timeout.Token);
            result = validation.Chain switch
            {
                ArcSignatureValidationResult.Pass => Passed(message),
                ArcSignatureValidationResult.Fail => new ArcResult("fail", null,
                    validation.ChainErrors == ArcValidationErrors.None ? "chain does not verify" : validation.ChainErrors.ToString()),
                _ => new ArcResult("none", null, "no ARC set"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new ArcResult("temperror", null, "no answer in time");
        }
        catch (DkimKeyException ex)
        {
            result = new ArcResult(ex.Temporary ? "temperror" : "fail", null, ex.Message);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or ParseException or NotSupportedException)
        {
            result = new ArcResult("fail", null, $"malformed ARC set ({ex.Message})");
        }

        context.Authentication.Arc = result;
        metrics.Result("arc", result.Result);
        LogChain(AuthenticationLogLevel.Of(result.Result), context.Id, result.Result, result.Sealer ?? "", result.Reason);
        return FilterStepResult.Continue(result.Result);
    }

    /// <summary>The d= of the ARC-Seal with the highest instance, and that instance's ARC-Authentication-Results.</summary>
    private static ArcResult Passed(MimeMessage message)
    {
        var newest = message.Headers.Where(h => h.Id == HeaderId.ArcSeal)
            .Select(h => DkimTags.Parse(h.Value))
            .MaxBy(t => Instance(t.GetValueOrDefault("i")));
        var instance = Instance(newest?.GetValueOrDefault("i"));
        var results = message.Headers.Where(h => h.Id == HeaderId.ArcAuthenticationResults)
            .Select(h => h.Value.Trim())
            .FirstOrDefault(v => v.StartsWith("i=", StringComparison.OrdinalIgnoreCase)
                                 && Instance(v[2..].Split(';')[0].Trim()) == instance);
        return new ArcResult("pass", newest?.GetValueOrDefault("d")?.ToLowerInvariant(), "chain verified", results);
    }

    private static int Instance(string? text) => int.TryParse(text, out var i) ? i : 0;

    [LoggerMessage(Message = "ARC {ArcResult} for message {MessageId}: sealer {ArcSealer} ({ArcReason})")]
    private partial void LogChain(LogLevel level, string messageId, string arcResult, string arcSealer, string arcReason);
}
