using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Spool;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Releases an archived message to its original recipients' inboxes (the archived bytes, with one
/// <c>X-MailGateway-Released</c> header on top), marks it released, and keeps a copy as ham for retraining.
/// Viruses are never released.
/// </summary>
public sealed class ArchiveRelease(ArchiveCatalog catalog, MaildirStore maildir, FeedbackStore feedback, StorageLayout layout)
{
    public const string ReleasedHeader = "X-MailGateway-Released";

    /// <summary>Returns null on success, otherwise why the message cannot be released.</summary>
    public async Task<string?> ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        var entry = catalog.Find(id);
        if (entry is null)
        {
            return $"no archived message with id '{id}'";
        }

        if (entry.IsVirus)
        {
            return $"message {id} is a virus ({entry.Path}); viruses are never released";
        }

        var recipients = entry.EnvelopeTo
            .Select(a => MailPath.TryParse(a, "", false, out _))
            .OfType<MailPath>()
            .ToList();
        if (recipients.Count == 0)
        {
            return $"message {id} has no {GatewayHeaders.EnvelopeTo} header to release it to";
        }

        await using var body = new SpoolBuffer(256 * 1024, layout.SpoolDirectory);
        await using (var file = File.OpenRead(entry.Path))
        {
            await file.CopyToAsync(body, cancellationToken);
        }

        var header = $"{ReleasedHeader}: {DateTimeOffset.UtcNow:R}";
        await maildir.DeliverAsync(new MessageContent(id, [header], body), recipients, MaildirFolder.Inbox, cancellationToken);
        catalog.MarkReleased(entry);
        await feedback.KeepAsync(entry.Path, FeedbackKind.Ham, cancellationToken);
        return null;
    }
}
