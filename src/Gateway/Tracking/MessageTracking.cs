using System.Buffers;
using MailGateway.Filters.Chain;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Smtp;
using MimeKit;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Turns a message whose disposition was carried out into its tracking record and queues it (<see cref="TrackingRecorder"/>).
/// The only work on the reply path is taking the Message-ID and Subject from the header the chain parsed (or, when no
/// filter parsed it, from the first 64 KB of the stored copy); the database is written later, in batches.
/// </summary>
public sealed class MessageTracking(TrackingRecorder recorder)
{
    private const int HeaderPeekBytes = 64 * 1024;

    public bool Enabled => recorder.Enabled;

    /// <summary>
    /// Queues the record of <paramref name="message"/>, and its archive index row when it was archived at
    /// <paramref name="archivePath"/>. Call it once the disposition is carried out (the copy durable), never before.
    /// </summary>
    public async Task RecordAsync(ReceivedMessage message, MessageContext context, Disposition disposition, SmtpReply reply,
        string? archivePath, CancellationToken cancellationToken)
    {
        if (!recorder.Enabled)
        {
            return;
        }

        // The chain has usually parsed the message already; only when no filter did (Filters:Order=None, a message
        // over the MIME limits) is the header read again from the stored copy.
        var (messageId, subject) = context.ParsedMessage is { } parsed
            ? Fields(parsed.Headers)
            : await PeekHeadersAsync(message, cancellationToken);
        var envelope = message.Envelope;
        var tracked = new TrackedMessage(
            message.Id,
            message.ReceivedAt,
            recorder.Node,
            envelope.SessionId,
            (envelope.ClientAddress.IsIPv4MappedToIPv6 ? envelope.ClientAddress.MapToIPv4() : envelope.ClientAddress).ToString(),
            TrackingLimits.Network(envelope.ClientAddress),
            envelope.HeloName,
            envelope.FromAddress,
            envelope.Recipients.Select(r => r.Address).ToList(),
            message.Content.Length,
            messageId,
            subject,
            context.Scl,
            context.Bcl,
            disposition.Name,
            Detail(disposition),
            reply.Code);
        var filters = context.Trace.Select((t, i) => new FilterOutcome(i, t.Filter, t.Outcome, t.SclBefore, t.SclAfter,
            t.ElapsedMicroseconds)).ToList();
        recorder.Record(new MessageTracked(tracked, filters));
        if (archivePath is not null)
        {
            var trace = string.Join(' ', context.Trace.Select(t => t.ToString()));
            recorder.Record(new ArchiveIndexed(new ArchiveEntry(message.Id, archivePath, message.ReceivedAt,
                envelope.FromAddress, tracked.Recipients, subject, context.Scl, trace,
                IsVirus: disposition is VirusArchiveDisposition, Released: false)
            {
                Bcl = context.Bcl,
                Size = message.Content.Length,
                Node = recorder.Node,
            }));
        }
    }

    private static string Detail(Disposition disposition) => disposition switch
    {
        RefuseDisposition r => $"{r.Code} {r.EnhancedCode} {r.Text}",
        ArchiveDisposition a => a.Reason,
        VirusArchiveDisposition v => v.Signature,
        _ => "",
    };

    private static (string MessageId, string Subject) Fields(HeaderList headers) =>
        (TrackingLimits.HeaderMessageId(headers[HeaderId.MessageId]),
            TrackingLimits.Bound(headers[HeaderId.Subject], TrackingLimits.SubjectChars));

    // The header fields tracking keeps, from at most the first 64 KB: a 1 MB Subject costs no more than that.
    private static async Task<(string MessageId, string Subject)> PeekHeadersAsync(ReceivedMessage message,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HeaderPeekBytes);
        try
        {
            int length;
            await using (var content = message.Content.OpenRead())
            {
                length = await content.ReadAtLeastAsync(buffer.AsMemory(0, HeaderPeekBytes), HeaderPeekBytes,
                    throwOnEndOfStream: false, cancellationToken);
            }

            using var head = new MemoryStream(buffer, 0, length, writable: false);
            return Fields(await HeaderList.LoadAsync(head, cancellationToken));
        }
        catch (Exception ex) when (ex is FormatException or ParseException or IOException)
        {
            return ("", "");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
