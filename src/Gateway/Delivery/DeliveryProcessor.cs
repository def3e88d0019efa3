using MailGateway.Gateway.Smtp;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The end of DATA for the SMTP core: every message goes to each recipient's inbox. Storage failures become 4xx
/// replies (452 4.3.1 for a full disk), so the client keeps the message and retries.
/// </summary>
public sealed class DeliveryProcessor(MaildirStore maildir, ILogger<DeliveryProcessor> logger) : IMessageProcessor
{
    public async Task<SmtpReply> ProcessAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var envelope = message.Envelope;
        var content = new MessageContent(message.Id, Array.Empty<string>(), message.Content);
        try
        {
            await maildir.DeliverAsync(content, envelope.Recipients, MaildirFolder.Inbox, cancellationToken);
        }
        catch (Exception ex) when (DurableIo.IsDiskFull(ex))
        {
            logger.LogError("Message {MessageId} not stored: disk full; replying {ReplyCode}", message.Id, 452);
            return SmtpReply.InsufficientStorage;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Message {MessageId} not stored; replying {ReplyCode}", message.Id, 451);
            return SmtpReply.LocalError;
        }

        logger.LogInformation(
            "Accepted {MessageId} from {From} to {Recipients} ({Size} bytes) in session {SessionId}: {Route}, {ReplyCode}",
            message.Id, envelope.FromAddress, envelope.Recipients.Select(r => r.Address), message.Content.Length,
            envelope.SessionId, "inbox", 250);
        return SmtpReply.Queued(message.Id);
    }
}
