using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The relay queue on disk, <c>&lt;Storage:Root&gt;/queue/</c>: per message an <c>&lt;id&gt;.eml</c> (the bytes to
/// relay) and an <c>&lt;id&gt;.json</c> (<see cref="QueueEntry"/>). Both are written to <c>tmp/</c>, fsynced and renamed
/// in, the message first; the state file is the commit record, so an .eml without one was never acknowledged and is
/// removed by <see cref="Recover"/>. Every change of state is a new file renamed over the old one.
/// </summary>
public sealed class RelayQueue(StorageLayout layout, DirectorySync directorySync, ILogger<RelayQueue> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Directory => layout.QueueDirectory;

    /// <summary>The file <c>mailgw queue flush</c> creates; the running gateway retries everything when it sees it.</summary>
    public string FlushMarker => Path.Combine(layout.QueueDirectory, "flush");

    public string MessagePath(string id) => Path.Combine(layout.QueueDirectory, id + ".eml");

    public string StatePath(string id) => Path.Combine(layout.QueueDirectory, id + ".json");

    /// <summary>Writes the message and its state durably; returns once both would survive a crash.</summary>
    public async Task EnqueueAsync(QueueEntry entry, Func<Stream, CancellationToken, Task> writeMessage,
        CancellationToken cancellationToken)
    {
        EnsureDirectories();
        var tmpMessage = Path.Combine(layout.QueueTemp, entry.Id + ".eml");
        var tmpState = Path.Combine(layout.QueueTemp, entry.Id + ".json");
        try
        {
            // Buffered writes that end in one synchronous flush and fsync on this thread: async file I/O on Linux is
            // thread-pool work, so awaiting it only added hops before a call that blocks anyway.
            await using (var file = new FileStream(tmpMessage, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             64 * 1024, FileOptions.None))
            {
                await writeMessage(file, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            WriteStateFile(tmpState, entry);
            File.Move(tmpMessage, MessagePath(entry.Id));
            File.Move(tmpState, StatePath(entry.Id));
            await directorySync.SyncAsync(layout.QueueDirectory);
        }
        catch
        {
            TryDelete(tmpMessage);
            TryDelete(tmpState);
            if (!File.Exists(StatePath(entry.Id)))
            {
                TryDelete(MessagePath(entry.Id));
            }

            throw;
        }
    }

    /// <summary>Replaces the state file; false when the entry is gone (deleted from the command line).</summary>
    public async Task<bool> SaveAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        if (!File.Exists(StatePath(entry.Id)))
        {
            return false;
        }

        var tmp = Path.Combine(layout.QueueTemp, entry.Id + ".json");
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteStateFile(tmp, entry);
            File.Move(tmp, StatePath(entry.Id), overwrite: true);
        }
        finally
        {
            TryDelete(tmp);
        }

        await directorySync.SyncAsync(layout.QueueDirectory);
        return true;
    }

    /// <summary>Removes an entry: the state file first (the commit point), then the message.</summary>
    public async Task RemoveAsync(string id)
    {
        TryDelete(StatePath(id));
        TryDelete(MessagePath(id));
        await directorySync.SyncAsync(layout.QueueDirectory);
    }

    /// <summary>Reads one entry; null when it does not exist or cannot be read.</summary>
    public QueueEntry? Read(string id)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<QueueEntry>(File.ReadAllBytes(StatePath(id)), Json);
            return entry is { Id.Length: > 0 } && File.Exists(MessagePath(id)) ? entry : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every readable entry, oldest first (ids are time-ordered).</summary>
    public IReadOnlyList<QueueEntry> List()
    {
        if (!System.IO.Directory.Exists(layout.QueueDirectory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(layout.QueueDirectory, "*.json")
            .Select(f => Read(Path.GetFileNameWithoutExtension(f)))
            .OfType<QueueEntry>()
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// At start, before the listener accepts: removes temporary files and messages whose state file never made it
    /// (neither was acknowledged), and returns the entries to resume.
    /// </summary>
    public IReadOnlyList<QueueEntry> Recover()
    {
        EnsureDirectories();
        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(layout.QueueTemp))
        {
            TryDelete(file);
            removed++;
        }

        foreach (var message in System.IO.Directory.EnumerateFiles(layout.QueueDirectory, "*.eml"))
        {
            if (!File.Exists(Path.ChangeExtension(message, ".json")))
            {
                TryDelete(message);
                removed++;
            }
        }

        var entries = new List<QueueEntry>();
        foreach (var state in System.IO.Directory.EnumerateFiles(layout.QueueDirectory, "*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(state);
            if (Read(id) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                logger.LogError("Queue entry {QueueId} is unreadable or has no message; moved aside as {Path}", id,
                    state + ".bad");
                File.Move(state, state + ".bad", overwrite: true);
            }
        }

        logger.LogInformation("Relay queue at {QueueDirectory}: {QueueLength} messages to resume, {StaleFiles} stale files removed",
            layout.QueueDirectory, entries.Count, removed);
        return entries.OrderBy(e => e.ReceivedAt).ToList();
    }

    /// <summary>Asks the running gateway to retry every deferred message now.</summary>
    public void RequestFlush()
    {
        EnsureDirectories();
        File.WriteAllText(FlushMarker, DateTimeOffset.UtcNow.ToString("O"));
    }

    /// <summary>True (once) when a flush was requested since the last call.</summary>
    public bool TakeFlushRequest()
    {
        if (!File.Exists(FlushMarker))
        {
            return false;
        }

        TryDelete(FlushMarker);
        return true;
    }

    private void EnsureDirectories()
    {
        if (!System.IO.Directory.Exists(layout.QueueTemp))
        {
            System.IO.Directory.CreateDirectory(layout.QueueTemp);
            DurableIo.FsyncDirectory(layout.QueueDirectory);
            DurableIo.FsyncDirectory(layout.Root);
        }
    }

    private static void WriteStateFile(string path, QueueEntry entry)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None);
        JsonSerializer.Serialize(file, entry, Json);
        file.Flush(flushToDisk: true);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not remove {Path}", path);
        }
    }
}
