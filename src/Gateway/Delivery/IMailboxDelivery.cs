using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Where the inbox and junk routes hand a message: local Maildirs (<c>Delivery:Mode=Maildir</c>) or the relay queue
/// towards the internal mail server (<c>Delivery:Mode=Relay</c>). Returns once the message is durable.
/// </summary>
public interface IMailboxDelivery
{
    Task DeliverAsync(MessageContent content, Envelope envelope, MaildirFolder folder, int? scl,
        CancellationToken cancellationToken);
}
