using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Delivery;

/// <summary>The embedded mode: each recipient's Maildir inbox or junk folder on this machine.</summary>
public sealed class MaildirMailboxDelivery(MaildirStore maildir) : IMailboxDelivery
{
    public Task DeliverAsync(MessageContent content, Envelope envelope, MaildirFolder folder, int? scl,
        CancellationToken cancellationToken) =>
        maildir.DeliverAsync(content, envelope.Recipients, folder, cancellationToken);
}
