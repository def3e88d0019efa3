using System.Buffers;
using SharpCompress.Archives;
using SharpCompress.Common;
using SharpCompress.Readers;

namespace MailGateway.Filters.Attachments;

/// <summary>
/// Opens one zip, 7z or rar attachment (SharpCompress) and checks its entries one level down: each entry's name, and
/// its real type from the first <see cref="FileSignature.SniffLength"/> bytes decompressed. Bounded: at most
/// <see cref="AttachmentOptions.MaxArchiveEntries"/> entries, no archive that says it expands past
/// <see cref="AttachmentOptions.MaxExpandedBytes"/> (a bomb is unscannable before anything is decompressed), a sniff's
/// worth of bytes per entry, and the stage's deadline checked between entries. An archive inside the archive is not
/// opened: its own name and type are checked like any entry's.
/// </summary>
public sealed class ArchiveInspector(AttachmentRules rules, AttachmentOptions options)
{
    /// <summary>Looks into <paramref name="archive"/> (seekable, decoded); <paramref name="name"/> names it in findings.</summary>
    public ArchiveInspection Inspect(Stream archive, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var opened = ArchiveFactory.OpenArchive(archive, new ReaderOptions { LeaveStreamOpen = true });
            var listing = List(opened, name, cancellationToken);
            if (!listing.Sniffable || listing.Finding is { Kind: AttachmentFindingKind.Blocked })
            {
                return listing;
            }

            var sniffed = opened.IsSolid ? SniffInOrder(opened, name, cancellationToken) : SniffEach(opened, name, cancellationToken);
            return listing with { Finding = AttachmentFinding.Worst(listing.Finding, sniffed.Finding), Sniffed = sniffed.Count };
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (IsPasswordProblem(ex))
        {
            // 7z with encrypted headers: not even the names can be read.
            return new ArchiveInspection(new AttachmentFinding(AttachmentFindingKind.EncryptedArchive, name, "encrypted-archive"), 0, 0);
        }
        catch (Exception ex)
        {
            // SharpCompress reports a broken archive in many ways (InvalidFormatException, EndOfStreamException,
            // IndexOutOfRangeException...); all of them mean this archive could not be read to a verdict.
            return new ArchiveInspection(new AttachmentFinding(AttachmentFindingKind.Unscannable, name,
                $"unreadable-archive({ex.GetType().Name})"), 0, 0);
        }
    }

    /// <summary>Names, encryption and declared sizes of every entry, without decompressing anything.</summary>
    private ArchiveInspection List(IArchive archive, string name, CancellationToken cancellationToken)
    {
        AttachmentFinding? finding = null;
        var entries = 0;
        long expanded = 0;
        var sniffable = true;
        foreach (var entry in archive.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++entries > options.MaxArchiveEntries)
            {
                return new ArchiveInspection(AttachmentFinding.Worst(finding, new AttachmentFinding(
                    AttachmentFindingKind.Unscannable, name, $"archive-entries>{options.MaxArchiveEntries}")), entries, 0, Sniffable: false);
            }

            if (entry.IsDirectory)
            {
                continue;
            }

            var entryName = $"{name}/{entry.Key}";
            if (rules.Check(entry.Key, FileKind.Other) is { } reason)
            {
                return new ArchiveInspection(new AttachmentFinding(AttachmentFindingKind.Blocked, entryName, reason), entries, 0);
            }

            if (entry.IsEncrypted)
            {
                finding ??= new AttachmentFinding(AttachmentFindingKind.EncryptedArchive, name, "encrypted-archive");
            }

            expanded += Math.Max(0, entry.Size);
            if (sniffable && expanded > options.MaxExpandedBytes)
            {
                // A bomb: nothing of it is decompressed; the names are still listed for a blocked one.
                sniffable = false;
                finding = AttachmentFinding.Worst(finding,
                    new AttachmentFinding(AttachmentFindingKind.Unscannable, name, $"archive-expands>{options.MaxExpandedBytes}"));
            }
        }

        return new ArchiveInspection(finding, entries, 0, sniffable);
    }

    /// <summary>Each entry opened on its own (zip, non-solid 7z and rar): only its first bytes are decompressed.</summary>
    private (AttachmentFinding? Finding, int Count) SniffEach(IArchive archive, string name, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var entry in archive.Entries.Where(e => !e.IsDirectory && !e.IsEncrypted))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var content = entry.OpenEntryStream();
            count++;
            if (Sniff(content, $"{name}/{entry.Key}", entry.Key, cancellationToken) is { } finding)
            {
                return (finding, count);
            }
        }

        return (null, count);
    }

    /// <summary>
    /// A solid archive decompresses as one stream: its entries are read in order, so each byte is decompressed once
    /// (opening entry N alone would decompress the N-1 before it again). The declared total was checked first.
    /// </summary>
    private (AttachmentFinding? Finding, int Count) SniffInOrder(IArchive archive, string name, CancellationToken cancellationToken)
    {
        var count = 0;
        using var reader = archive.ExtractAllEntries();
        while (reader.MoveToNextEntry())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.Entry.IsDirectory || reader.Entry.IsEncrypted)
            {
                continue;
            }

            count++;
            using var content = reader.OpenEntryStream();
            if (Sniff(content, $"{name}/{reader.Entry.Key}", reader.Entry.Key, cancellationToken) is { } finding)
            {
                return (finding, count);
            }
        }

        return (null, count);
    }

    private AttachmentFinding? Sniff(Stream content, string entryName, string? key, CancellationToken cancellationToken)
    {
        var head = ArrayPool<byte>.Shared.Rent(FileSignature.SniffLength);
        try
        {
            var read = 0;
            int n;
            while (read < FileSignature.SniffLength && (n = content.Read(head, read, FileSignature.SniffLength - read)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                read += n;
            }

            var kind = FileSignature.Detect(head.AsSpan(0, read));
            if (key is not null && key.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase))
            {
                kind = FileKind.OfficeMacro;
            }

            return rules.Check(key, kind) is { } reason
                ? new AttachmentFinding(AttachmentFindingKind.Blocked, entryName, reason)
                : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private static bool IsPasswordProblem(Exception ex) =>
        ex is CryptographicException or System.Security.Cryptography.CryptographicException
        || ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("encrypt", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// What one archive held: the weightiest finding (or none), entries listed, entries sniffed, and whether its entries may
/// be decompressed at all (not past a bound).
/// </summary>
public sealed record ArchiveInspection(AttachmentFinding? Finding, int Entries, int Sniffed, bool Sniffable = true);
