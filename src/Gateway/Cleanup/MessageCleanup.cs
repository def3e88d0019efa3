using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Cleanup;

/// <summary>
/// The cleanup stage: every message passes through it on its way from the DATA reader to the spool, so nothing
/// after it (filters, stores, the relay, the internal server) ever sees a verdict header that came from outside.
/// One event and one count for each message that carried some.
/// </summary>
public sealed class MessageCleanup(
    IOptions<CleanupOptions> options,
    IOptions<SmtpOptions> smtpOptions,
    CleanupMetrics metrics,
    ILogger<MessageCleanup> logger)
{
    private readonly HeaderFieldRules _rules = new(
        options.Value.RemoveHeaders.Count > 0 ? options.Value.RemoveHeaders : CleanupOptions.DefaultRemovedHeaders,
        smtpOptions.Value.EffectiveHostName);

    /// <summary>A stream that cleans what is written to it on its way to <paramref name="spool"/>.</summary>
    public HeaderCleanupStream Start(Stream spool) => new(spool, _rules);

    /// <summary>Ends the message's cleanup and reports what it removed.</summary>
    public void Finish(HeaderCleanupStream cleanup, string messageId, string sessionId)
    {
        cleanup.Complete();
        var removed = cleanup.RemovedFields;
        if (removed.Count == 0)
        {
            return;
        }

        metrics.Removed(removed.Count);
        logger.LogInformation(
            "Message {MessageId} in session {SessionId}: removed {RemovedCount} header fields from outside: {RemovedHeaders}",
            messageId, sessionId, removed.Count, removed);
    }
}
