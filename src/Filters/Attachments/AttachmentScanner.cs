using System.Buffers;
using MimeKit;

namespace MailGateway.Filters.Attachments;

/// <summary>
/// Walks every MIME leaf of a parsed message (embedded messages included) and checks each one's file name and the
/// real type of its decoded content; zip, 7z and rar contents go to <see cref="ArchiveInspector"/>. Returns the
/// weightiest finding, stopping at the first blocked file. Only the first <see cref="FileSignature.SniffLength"/>
/// decoded bytes of a part are read, except for an archive, which is copied (bounded) to be opened.
/// </summary>
public sealed class AttachmentScanner(AttachmentOptions options)
{
    private readonly AttachmentRules _rules = AttachmentRules.From(options);

    public async Task<AttachmentScan> ScanAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        AttachmentFinding? worst = null;
        var parts = 0;
        var archives = 0;
        var entries = 0;
        var inspector = new ArchiveInspector(_rules, options);
        foreach (var part in Leaves(message))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (part.Content is null)
            {
                continue;
            }

            parts++;
            var name = part.FileName;
            var display = string.IsNullOrEmpty(name) ? $"part{parts}({part.ContentType.MimeType})" : name;
            var head = ArrayPool<byte>.Shared.Rent(FileSignature.SniffLength);
            try
            {
                await using var decoded = part.Content.Open();
                var read = await decoded.ReadAtLeastAsync(head.AsMemory(0, FileSignature.SniffLength),
                    FileSignature.SniffLength, throwOnEndOfStream: false, cancellationToken);
                var kind = FileSignature.Detect(head.AsSpan(0, read));
                if (_rules.Check(name, kind) is { } reason)
                {
                    return new AttachmentScan(new AttachmentFinding(AttachmentFindingKind.Blocked, display, reason), parts, archives, entries);
                }

                if (!options.InspectArchives || !FileSignature.IsOpenableArchive(kind))
                {
                    continue;
                }

                archives++;
                await using var copy = await ArchiveCopy.CreateAsync(head.AsMemory(0, read), decoded, options.MaxArchiveBytes,
                    cancellationToken);
                if (copy is null)
                {
                    worst = AttachmentFinding.Worst(worst, new AttachmentFinding(AttachmentFindingKind.Unscannable, display,
                        $"archive>{options.MaxArchiveBytes}bytes"));
                    continue;
                }

                var inspection = inspector.Inspect(copy, display, cancellationToken);
                entries += inspection.Entries;
                worst = AttachmentFinding.Worst(worst, inspection.Finding);
                if (worst?.Kind == AttachmentFindingKind.Blocked)
                {
                    return new AttachmentScan(worst, parts, archives, entries);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(head);
            }
        }

        return new AttachmentScan(worst, parts, archives, entries);
    }

    /// <summary>Every leaf at any depth, the parts of attached messages (message/rfc822) included.</summary>
    private static IEnumerable<MimePart> Leaves(MimeMessage message)
    {
        using var iterator = new MimeIterator(message);
        while (iterator.MoveNext())
        {
            if (iterator.Current is MimePart part)
            {
                yield return part;
            }
        }
    }
}

/// <summary>The scan of one message: its weightiest finding (null: nothing to say), parts, archives opened, entries listed.</summary>
public sealed record AttachmentScan(AttachmentFinding? Finding, int Parts, int Archives, int ArchiveEntries);
