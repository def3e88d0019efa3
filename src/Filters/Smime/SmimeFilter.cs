using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Smime;

/// <summary>
/// The S/MIME stage: records the body's signature (<c>smime=pass|fail|none</c> with the signer, in the trace and in
/// Authentication-Results) and applies <c>Smime:OnEncrypted</c> to encrypted mail, which no later filter can read.
/// It decides nothing from a signature: a failed one is information for the reader, as DKIM's is.
/// </summary>
public sealed partial class SmimeFilter : IMessageFilter
{
    private readonly IOptions<SmimeOptions> _options;
    private readonly SmimeVerifier _verifier;
    private readonly SmimeMetrics _metrics;
    private readonly ILogger<SmimeFilter> _logger;

    public SmimeFilter(IOptions<SmimeOptions> options, SmimeTrustStore trustStore, SmimeMetrics metrics,
        ILogger<SmimeFilter> logger)
    {
        _options = options;
        _verifier = new SmimeVerifier(trustStore, options.Value.MaxSignatures);
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The header a delivered encrypted message carries (X-MailGateway-*: one from outside is removed on arrival).</summary>
    public const string EncryptedHeader = "X-MailGateway-Smime";

    public string Name => "Smime";

    public FilterKind Kind => FilterKind.Policy;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = _options.Value;
        if (!o.Enabled)
        {
            return FilterStepResult.Continue("off");
        }

        if (await context.GetMimeMessageAsync(cancellationToken) is not { } message)
        {
            return FilterStepResult.Continue("none-unparsable");
        }

        var check = await _verifier.CheckAsync(message, cancellationToken);
        var signature = check.Signature;
        context.Authentication.Smime = signature;
        _metrics.Result(signature.Result);
        if (signature.Result != "none")
        {
            LogSignature(AuthenticationLogLevel.Of(signature.Result), context.Id, signature.Result, signature.Signer ?? "", signature.Reason);
        }

        var outcome = signature.Signer is null ? signature.Result : $"{signature.Result}({signature.Signer.Replace(' ', '_')})";
        if (!check.Encrypted)
        {
            return FilterStepResult.Continue(outcome);
        }

        _metrics.Encrypted(o.OnEncrypted);
        LogEncrypted(context.Id, o.OnEncrypted);
        switch (o.OnEncrypted)
        {
            case SmimeEncryptedAction.Reject:
                context.Decision = new RefuseDecision(554, "5.7.1", "message rejected: encrypted content cannot be scanned");
                return FilterStepResult.Stop(outcome + "+encrypted-rejected");
            case SmimeEncryptedAction.Archive:
                context.Decision = new ArchiveDecision("S/MIME encrypted: content cannot be scanned");
                return FilterStepResult.Stop(outcome + "+encrypted-archived");
            default:
                context.AddHeader(EncryptedHeader, "encrypted; content not scanned");
                return FilterStepResult.Continue(outcome + "+encrypted-not-scanned");
        }
    }

    [LoggerMessage(Message = "S/MIME {SmimeResult} for message {MessageId}: signer {SmimeSigner} ({SmimeReason})")]
    private partial void LogSignature(LogLevel level, string messageId, string smimeResult, string smimeSigner, string smimeReason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "S/MIME encrypted message {MessageId} cannot be scanned: {SmimeEncryptedAction}")]
    private partial void LogEncrypted(string messageId, SmimeEncryptedAction smimeEncryptedAction);
}
