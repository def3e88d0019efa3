using MailGateway.Filters.Chain;
using MailGateway.Gateway.Admin;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Spool;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The end of DATA: runs the filter chain, has <see cref="DispositionRouter"/> decide the message's disposition once,
/// has <see cref="DispositionStore"/> carry it out, and answers. The 250 comes back only once the stored copy is
/// durable; storage failures become 4xx (452 4.3.1 for a full disk) so the client keeps the message and retries.
/// Once the disposition is carried out, the message's tracking record is queued (<see cref="MessageTracking"/>).
/// </summary>
public sealed class DeliveryProcessor(
    FilterChain chain,
    DispositionRouter router,
    DispositionStore store,
    MessageTracking tracking,
    GatewayMetrics metrics,
    ILogger<DeliveryProcessor> logger) : IMessageProcessor
{
    public async Task<SmtpReply> ProcessAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var envelope = message.Envelope;
        await using var context = new MessageContext(message.Id,
            new MessageEnvelope(envelope.SessionId, envelope.ClientAddress, envelope.HeloName, envelope.FromAddress,
                envelope.Recipients.Select(r => r.Address).ToList(), envelope.FromInternalClient),
            message.Content.OpenRead, message.Content.Length);
        await chain.RunAsync(context, cancellationToken);

        var disposition = router.Decide(context);
        SmtpReply reply;
        string? archivePath = null;
        try
        {
            if (disposition is RefuseDisposition refuse)
            {
                reply = new SmtpReply(refuse.Code, refuse.EnhancedCode, refuse.Text);
            }
            else
            {
                archivePath = await store.StoreAsync(disposition, message, context, cancellationToken);
                reply = SmtpReply.Queued(message.Id);
            }
        }
        catch (Exception ex) when (DiskSpace.IsFull(ex))
        {
            logger.LogError("Message {MessageId} not stored: disk full; replying {ReplyCode}", message.Id, 452);
            return SmtpReply.InsufficientStorage;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Message {MessageId} not stored; replying {ReplyCode}", message.Id, 451);
            return SmtpReply.LocalError;
        }

        metrics.Message(disposition.Name, context.Scl);
        await tracking.RecordAsync(message, context, disposition, reply, archivePath, cancellationToken);
        logger.LogInformation(
            "Message {MessageId} from {From} to {Recipients} ({Size} bytes) in session {SessionId}: {Route}, SCL {Scl}, {ReplyCode} {Trace}",
            message.Id, envelope.FromAddress, envelope.Recipients.Select(r => r.Address), message.Content.Length,
            envelope.SessionId, disposition.Name, context.Scl, reply.Code, string.Join(' ', context.Trace));
        return reply;
    }
}
