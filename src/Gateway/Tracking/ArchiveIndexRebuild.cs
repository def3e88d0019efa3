using MailGateway.Gateway.Delivery;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Brings the archive index up to date with the archive folder, which stays the source of truth: files with no row
/// are read (headers only, <see cref="ArchiveCatalog.Read"/>) and indexed; rows of this gateway whose file is gone are
/// removed. Only the missing files are opened, so a start with an intact index costs a directory listing.
/// </summary>
public sealed class ArchiveIndexRebuild(
    SqlTrackingStore store,
    ArchiveCatalog catalog,
    TrackingRecorder recorder,
    ILogger<ArchiveIndexRebuild> logger)
{
    private const int Batch = 500;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (indexed, onNode) = await store.ArchiveIdsAsync(recorder.Node, cancellationToken);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var added = 0;
        var pending = new List<TrackingWrite>(Batch);
        foreach (var path in catalog.Files())
        {
            var id = Path.GetFileNameWithoutExtension(path);
            files.Add(id);
            if (indexed.Contains(id) || catalog.Read(path) is not { } entry)
            {
                continue;
            }

            pending.Add(new ArchiveIndexed(entry));
            if (pending.Count == Batch)
            {
                await store.ApplyAsync(pending, cancellationToken);
                added += pending.Count;
                pending.Clear();
            }
        }

        var gone = onNode.Where(r => !files.Contains(r.Key) && !File.Exists(r.Value)).Select(r => new ArchiveRemoved(r.Key));
        pending.AddRange(gone);
        added += pending.Count(w => w is ArchiveIndexed);
        var removed = pending.Count(w => w is ArchiveRemoved);
        if (pending.Count > 0)
        {
            await store.ApplyAsync(pending, cancellationToken);
        }

        logger.LogInformation(
            "Archive index checked against the archive folder: {Files} files, {Added} rows added, {Removed} rows removed",
            files.Count, added, removed);
    }
}
