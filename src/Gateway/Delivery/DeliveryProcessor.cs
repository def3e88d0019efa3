using MailGateway.Filters.Antivirus;
using MailGateway.Filters.Chain;
using MailGateway.Gateway.Admin;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Spool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The end of DATA: runs the filter chain, then stores the message where its decision or SCL sends it (inbox, junk,
/// archive, virus archive) or refuses it. The 250 comes back only once the stored copy is durable; storage failures
/// become 4xx (452 4.3.1 for a full disk) so the client keeps the message and retries.
/// </summary>
public sealed class DeliveryProcessor(
    FilterChain chain,
    SclRouter router,
    IMailboxDelivery mailboxes,
    ArchiveStore archive,
    AntivirusMetrics antivirusMetrics,
    GatewayMetrics metrics,
    IOptions<SmtpOptions> smtpOptions,
    ILogger<DeliveryProcessor> logger) : IMessageProcessor
{
    private readonly string _hostName = smtpOptions.Value.EffectiveHostName;

    public async Task<SmtpReply> ProcessAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var envelope = message.Envelope;
        await using var context = new MessageContext(message.Id,
            new MessageEnvelope(envelope.SessionId, envelope.ClientAddress, envelope.HeloName, envelope.FromAddress,
                envelope.Recipients.Select(r => r.Address).ToList()),
            message.Content.OpenRead, message.Content.Length);
        await chain.RunAsync(context, cancellationToken);

        // Routed once: a threshold reload between logging and storing must not make them disagree.
        var messageRoute = router.RouteFor(context.Scl);
        var route = context.Decision switch
        {
            RefuseDecision => "rejected",
            VirusArchiveDecision => "virus-archive",
            _ => messageRoute.ToString().ToLowerInvariant(),
        };
        SmtpReply reply;
        try
        {
            reply = await StoreAsync(message, context, messageRoute, cancellationToken);
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

        metrics.Message(reply.IsPositive ? route : "rejected", context.Scl);
        logger.LogInformation(
            "Message {MessageId} from {From} to {Recipients} ({Size} bytes) in session {SessionId}: {Route}, SCL {Scl}, {ReplyCode} {Trace}",
            message.Id, envelope.FromAddress, envelope.Recipients.Select(r => r.Address), message.Content.Length,
            envelope.SessionId, route, context.Scl, reply.Code, string.Join(' ', context.Trace));
        return reply;
    }

    private async Task<SmtpReply> StoreAsync(ReceivedMessage message, MessageContext context, MessageRoute route,
        CancellationToken ct)
    {
        var envelope = message.Envelope;
        switch (context.Decision)
        {
            case RefuseDecision refuse:
                return new SmtpReply(refuse.Code, refuse.EnhancedCode, refuse.Text);
            case VirusArchiveDecision:
                await archive.StoreAsync(Content(message, context, spam: false, withEnvelope: true), message.ReceivedAt,
                    "virus", ct);
                antivirusMetrics.RecordArchived();
                return SmtpReply.Queued(message.Id);
        }

        var spam = route is MessageRoute.Junk or MessageRoute.Archive or MessageRoute.Reject;
        switch (route)
        {
            case MessageRoute.Reject:
                return SmtpReply.RejectedAsSpam;
            case MessageRoute.Archive:
                await archive.StoreAsync(Content(message, context, spam, withEnvelope: true), message.ReceivedAt, null, ct);
                return SmtpReply.Queued(message.Id);
            case MessageRoute.Junk:
                await mailboxes.DeliverAsync(Content(message, context, spam, false), envelope, MaildirFolder.Junk, context.Scl, ct);
                return SmtpReply.Queued(message.Id);
            default:
                await mailboxes.DeliverAsync(Content(message, context, spam, false), envelope, MaildirFolder.Inbox, context.Scl, ct);
                return SmtpReply.Queued(message.Id);
        }
    }

    private MessageContent Content(ReceivedMessage message, MessageContext context, bool spam, bool withEnvelope) =>
        new(message.Id, GatewayHeaders.For(context, message.Envelope, spam, withEnvelope, _hostName), message.Content);
}
