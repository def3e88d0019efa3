using MailGateway.Filters.Antivirus;
using MailGateway.Filters.Chain;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Smtp;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Carries out a <see cref="Disposition"/>: the archive and the virus archive stay local in every mode, inbox and junk
/// go through the delivery in force (<see cref="IMailboxDelivery"/>: Maildir, or the relay queue). Returns once every
/// copy is durable; storage failures are thrown for the caller to turn into a 4xx.
/// </summary>
public sealed class DispositionStore(
    IMailboxDelivery mailboxes,
    ArchiveStore archive,
    AntivirusMetrics antivirusMetrics,
    IOptions<SmtpOptions> smtpOptions)
{
    private readonly string _hostName = smtpOptions.Value.EffectiveHostName;

    /// <summary>
    /// Stores the message where <paramref name="disposition"/> says (a refusal stores nothing); returns the archived
    /// file's path when it went to the archive or the virus archive, otherwise null.
    /// </summary>
    public async Task<string?> StoreAsync(Disposition disposition, ReceivedMessage message, MessageContext context,
        CancellationToken cancellationToken)
    {
        switch (disposition)
        {
            case RefuseDisposition:
                return null;
            case VirusArchiveDisposition:
                var virus = await archive.StoreAsync(Content(message, context, spam: false, withEnvelope: true),
                    message.ReceivedAt, virus: true, cancellationToken);
                antivirusMetrics.RecordArchived();
                return virus;
            case ArchiveDisposition:
                return await archive.StoreAsync(Content(message, context, spam: true, withEnvelope: true), message.ReceivedAt,
                    virus: false, cancellationToken);
            case JunkDisposition:
                await mailboxes.DeliverAsync(Content(message, context, spam: true, withEnvelope: false), message.Envelope,
                    MaildirFolder.Junk, context.Scl, cancellationToken);
                return null;
            default:
                await mailboxes.DeliverAsync(Content(message, context, spam: false, withEnvelope: false), message.Envelope,
                    MaildirFolder.Inbox, context.Scl, cancellationToken);
                return null;
        }
    }

    private MessageContent Content(ReceivedMessage message, MessageContext context, bool spam, bool withEnvelope) =>
        new(message.Id, GatewayHeaders.For(context, message.Envelope, spam, withEnvelope, _hostName), message.Content);
}
