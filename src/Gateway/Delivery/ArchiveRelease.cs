using System.Globalization;
using System.Net;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Spool;
using MailGateway.Gateway.Tracking;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Releases an archived message to its recorded envelope recipients through the delivery in force (the local Maildirs,
/// or the relay queue towards the internal server), marks it released, and keeps a copy as ham for retraining.
/// A message is released at most once; viruses never.
/// </summary>
/// <remarks>
/// The released copy is the archived message without the gateway's header block (verdict, SCL, trace, envelope), under
/// <c>X-MailGateway-Released</c> and <c>X-Spam-Flag: NO</c>: an administrator judged it, so nothing on it may still
/// say spam to a junk rule downstream. In relay mode it carries no <c>X-MS-Exchange-Organization-SCL</c>.
/// </remarks>
public sealed class ArchiveRelease(
    ArchiveCatalog catalog,
    IMailboxDelivery mailboxes,
    FeedbackStore feedback,
    StorageLayout layout,
    TrackingRecorder tracking)
{
    public const string ReleasedHeader = "X-MailGateway-Released";

    /// <summary>Returns null on success, otherwise why the message was not released (again).</summary>
    public async Task<string?> ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        var entry = catalog.Find(id);
        if (entry is null)
        {
            return ArchiveCatalog.IsId(id)
                ? $"no archived message with id '{id}'"
                : $"'{id}' is not an archive id (32 hex digits)";
        }

        if (entry.IsVirus)
        {
            return $"message {id} is a virus ({entry.Path}); viruses are never released";
        }

        if (entry.Released)
        {
            return $"message {id} was already released";
        }

        var recipients = entry.EnvelopeTo
            .Select(a => MailPath.TryParse(a, "", false, out _))
            .OfType<MailPath>()
            .ToList();
        if (recipients.Count == 0)
        {
            return $"message {id} has no {GatewayHeaders.EnvelopeTo} header to release it to";
        }

        if (!catalog.TryClaimRelease(entry))
        {
            return $"message {id} is being released, or a release was cut off: see {ArchiveCatalog.ClaimPath(entry.Path)}";
        }

        var now = DateTimeOffset.UtcNow;
        try
        {
            // Checked again under the claim: a release that finished between the first check and the claim.
            if (catalog.Find(id) is { Released: true })
            {
                catalog.DropClaim(entry);
                return $"message {id} was already released";
            }

            await using var body = new SpoolBuffer(256 * 1024, layout.SpoolDirectory);
            await using (var file = File.OpenRead(entry.Path))
            {
                file.Position = await FeedbackStore.OwnHeaderLengthAsync(entry.Path, cancellationToken);
                await file.CopyToAsync(body, cancellationToken);
            }

            var from = entry.EnvelopeFrom.Length == 0 ? null : MailPath.TryParse(entry.EnvelopeFrom, "", false, out _);
            var envelope = new Envelope($"release-{id}", IPAddress.Loopback, "", from, recipients, Tls: false,
                SmtpUtf8: !recipients.All(r => r.IsAscii) || from is { IsAscii: false });
            string[] headers =
            [
                $"{ReleasedHeader}: {now.ToString("R", CultureInfo.InvariantCulture)}",
                $"{GatewayHeaders.SpamFlag}: NO",
            ];
            await mailboxes.DeliverAsync(new MessageContent(id, headers, body), envelope, MaildirFolder.Inbox, scl: null,
                cancellationToken);
        }
        catch
        {
            catalog.DropClaim(entry);
            throw;
        }

        await catalog.MarkReleasedAsync(entry, now, cancellationToken);
        await tracking.RecordNowAsync(
        [
            new ArchiveReleased(id, now),
            new EventAppended(new TrackingEvent(id, now, TrackingEventKinds.Released,
                $"to {string.Join(", ", recipients.Select(r => r.Address))}", tracking.Node)),
        ], cancellationToken);
        await feedback.KeepAsync(entry.Path, FeedbackKind.Ham, cancellationToken, actor: "release");
        return null;
    }
}
