using System.Globalization;
using MailGateway.Gateway.Tracking;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Removes archived messages: one the administrator deleted, or whole days past <c>Archive:RetentionDays</c>. A
/// message whose release is under way (its <c>.releasing</c> claim exists) is left alone.
/// </summary>
public sealed class ArchiveDeletion(ArchiveCatalog catalog, StorageLayout layout, DurableStorage durable, TrackingRecorder tracking)
{
    /// <summary>Returns null once deleted (and recorded: the archive index row goes, an event stays), otherwise why not.</summary>
    public async Task<string?> DeleteAsync(string id, string actor)
    {
        if (catalog.Find(id) is not { } entry)
        {
            return ArchiveCatalog.IsId(id) ? $"no archived message with id '{id}'" : $"'{id}' is not an archive id (32 hex digits)";
        }

        if (File.Exists(ArchiveCatalog.ClaimPath(entry.Path)))
        {
            return $"message {id} is being released; not deleted";
        }

        File.Delete(entry.Path);
        File.Delete(Path.ChangeExtension(entry.Path, ".released"));
        await durable.NamesChangedAsync([Path.GetDirectoryName(entry.Path)!]);
        // Written at once, so the listing that follows the action no longer shows it.
        await tracking.RecordNowAsync(
        [
            new ArchiveRemoved(id),
            new EventAppended(new TrackingEvent(id, DateTimeOffset.UtcNow, TrackingEventKinds.Deleted, $"by {actor}", tracking.Node)),
        ], CancellationToken.None);
        return null;
    }

    /// <summary>Deletes every day folder (archive and virus archive) older than <paramref name="days"/> days before <paramref name="now"/>; returns the messages removed.</summary>
    public async Task<int> DeleteOlderThanAsync(int days, DateTimeOffset now)
    {
        var oldestKept = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-days);
        var removed = 0;
        var changed = new List<string>();
        foreach (var root in new[] { layout.ArchiveRoot, layout.VirusArchiveRoot })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var day in Directory.EnumerateDirectories(root).ToList())
            {
                if (!DateOnly.TryParseExact(Path.GetFileName(day), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    || date >= oldestKept)
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(day).ToList())
                {
                    if (file.EndsWith(".releasing", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    File.Delete(file);
                    if (file.EndsWith(".eml", StringComparison.Ordinal))
                    {
                        removed++;
                        tracking.Record(new ArchiveRemoved(Path.GetFileNameWithoutExtension(file)));
                    }
                }

                if (!Directory.EnumerateFileSystemEntries(day).Any())
                {
                    Directory.Delete(day);
                    changed.Add(root);
                }
                else
                {
                    changed.Add(day);
                }
            }
        }

        if (changed.Count > 0)
        {
            await durable.NamesChangedAsync(changed.Distinct().ToArray());
        }

        return removed;
    }
}
