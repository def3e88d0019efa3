using System.Text.Json;
using Microsoft.Extensions.Logging;
using MimeKit.IO;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The relay queue on disk, <c>&lt;Storage:Root&gt;/queue/</c>: per message one <c>&lt;id&gt;.eml</c> whose first line is
/// its envelope record (<see cref="QueueEnvelope"/>), followed by the bytes to relay. It is written to <c>tmp/</c>,
/// made durable once (<see cref="DurableStorage"/>) and renamed in; the rename is the commit. State changes after an
/// attempt go to <c>&lt;id&gt;.json</c>, which overrides the envelope record when present, so a message delivered at
/// its first attempt never has one.
/// </summary>
public sealed class RelayQueue(StorageLayout layout, DurableStorage durable, ILogger<RelayQueue> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>How many emptied files of delivered entries are kept for reuse (<see cref="QueueFileRecycler"/>).</summary>
    public const int SpareFiles = 256;

    private readonly QueueFileRecycler _recycler = new(layout.QueueSpare, SpareFiles, logger);

    public string Directory => layout.QueueDirectory;

    /// <summary>The file <c>mailgw queue flush</c> creates; the running gateway retries everything when it sees it.</summary>
    public string FlushMarker => Path.Combine(layout.QueueDirectory, "flush");

    public string MessagePath(string id) => Path.Combine(layout.QueueDirectory, id + ".eml");

    public string StatePath(string id) => Path.Combine(layout.QueueDirectory, id + ".json");

    /// <summary>Writes the envelope and the message durably as one file; returns once it would survive a crash.</summary>
    public async Task EnqueueAsync(QueueEntry entry, Func<Stream, CancellationToken, Task> writeMessage,
        CancellationToken cancellationToken)
    {
        EnsureDirectories();
        var tmp = Path.Combine(layout.QueueTemp, entry.Id + ".eml");
        var renamed = false;
        try
        {
            // Buffered writes that end in one synchronous flush on this thread (and an fsync with Storage:Sync=PerFile):
            // async file I/O on Linux is thread-pool work, so awaiting it only added hops before a call that blocks.
            // A delivered entry's emptied file when there is one: no new inode per message.
            var mode = _recycler.TryTakeInto(tmp) ? FileMode.Truncate : FileMode.CreateNew;
            await using (var file = new FileStream(tmp, mode, FileAccess.Write, FileShare.None,
                             64 * 1024, FileOptions.None))
            {
                QueueEnvelope.Write(file, entry);
                await writeMessage(file, cancellationToken);
                await durable.ContentWrittenAsync(file, cancellationToken);
            }

            File.Move(tmp, MessagePath(entry.Id));
            renamed = true;
            await durable.NamesChangedAsync(layout.QueueDirectory);
        }
        catch
        {
            // Not acknowledged and not handed to a worker: the client will send it again.
            TryDelete(renamed ? MessagePath(entry.Id) : tmp);
            throw;
        }
    }

    /// <summary>Writes the state after an attempt to <c>&lt;id&gt;.json</c>; false when the entry is gone (deleted from the command line).</summary>
    public async Task<bool> SaveAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        if (!File.Exists(MessagePath(entry.Id)))
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

        if (!File.Exists(MessagePath(entry.Id)))
        {
            // Deleted while the state was written: do not leave a state file without its message.
            TryDelete(StatePath(entry.Id));
            return false;
        }

        await durable.NamesChangedAsync(layout.QueueDirectory);
        return true;
    }

    /// <summary>Removes an entry: the message first (the commit point), then the state file if any.</summary>
    public async Task RemoveAsync(string id)
    {
        TryDelete(MessagePath(id));
        TryDelete(StatePath(id));
        await durable.NamesChangedAsync(layout.QueueDirectory);
    }

    /// <summary>
    /// Removes a delivered entry like <see cref="RemoveAsync"/> but does not wait for the removal to be made durable:
    /// a delivery worker goes on to its next message while the removal joins the next group commit. The sync only
    /// narrows the window in which a crash brings a delivered entry back (sent again, docs/relay.md); nothing
    /// acknowledged depends on it, so the worker need not wait for the disk. The file is kept, emptied, for reuse
    /// (<see cref="QueueFileRecycler"/>).
    /// </summary>
    public void RemoveDelivered(string id)
    {
        if (!_recycler.TryRetire(MessagePath(id)))
        {
            TryDelete(MessagePath(id));
        }

        TryDelete(StatePath(id));
        _ = durable.NamesChangedAsync(layout.QueueDirectory).ContinueWith(
            t => logger.LogWarning(t.Exception, "Could not flush the removal of {QueueId} from the queue directory", id),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>
    /// Opens the message to relay: a seekable stream whose position 0 is the first byte after the envelope line (or the
    /// file's first byte in the previous version's layout). Throws <see cref="FileNotFoundException"/> when the entry is gone.
    /// </summary>
    public Stream OpenMessage(string id)
    {
        var file = new FileStream(MessagePath(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
            64 * 1024, FileOptions.SequentialScan);
        try
        {
            var envelope = QueueEnvelope.Read(file, id);
            if (envelope.Kind == QueueEnvelopeKind.Invalid)
            {
                throw new InvalidDataException($"queue file {MessagePath(id)} has a damaged envelope line");
            }

            return new BoundStream(file, envelope.MessageOffset, -1, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one entry: the state file when there is one, else the envelope record; null when it does not exist or
    /// cannot be read. Changes nothing on disk (the command line uses it beside the running gateway).
    /// </summary>
    public QueueEntry? Read(string id) => Inspect(id).Entry;

    /// <summary>Every readable entry, oldest first (ids are time-ordered).</summary>
    public IReadOnlyList<QueueEntry> List()
    {
        if (!System.IO.Directory.Exists(layout.QueueDirectory))
        {
            return [];
        }

        return MessageIds()
            .Select(Read)
            .OfType<QueueEntry>()
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// At start, before the listener accepts: removes temporary files and state files whose message is gone (the tail
    /// of a removal), sets aside what cannot be trusted, and returns the entries to resume. An entry of the previous
    /// version's layout (a message without envelope line, its state in the .json beside it) is resumed as it is.
    /// </summary>
    public IReadOnlyList<QueueEntry> Recover()
    {
        EnsureDirectories();
        var removed = _recycler.Reset();
        foreach (var file in System.IO.Directory.EnumerateFiles(layout.QueueTemp))
        {
            TryDelete(file);
            removed++;
        }

        foreach (var state in System.IO.Directory.EnumerateFiles(layout.QueueDirectory, "*.json"))
        {
            if (Path.GetExtension(state) == ".json" && !File.Exists(Path.ChangeExtension(state, ".eml")))
            {
                TryDelete(state);
                removed++;
            }
        }

        var entries = new List<QueueEntry>();
        foreach (var id in MessageIds())
        {
            var found = Inspect(id);
            if (found.StateUnreadable)
            {
                logger.LogError("Queue entry {QueueId} has an unreadable state file; moved aside as {Path}", id,
                    StatePath(id) + ".bad");
                File.Move(StatePath(id), StatePath(id) + ".bad", overwrite: true);
                if (found.Envelope == QueueEnvelopeKind.Valid)
                {
                    // The envelope still names every recipient: resending to some is better than losing the others.
                    found = Inspect(id);
                }
            }

            if (found.Entry is { } entry)
            {
                entries.Add(entry);
                continue;
            }

            if (File.Exists(MessagePath(id)))
            {
                logger.LogError("Queue file {QueueId} has no valid envelope line and no state file to go by; moved aside as {Path}, not delivered",
                    id, MessagePath(id) + ".bad");
                File.Move(MessagePath(id), MessagePath(id) + ".bad", overwrite: true);
                if (File.Exists(StatePath(id)))
                {
                    File.Move(StatePath(id), StatePath(id) + ".bad", overwrite: true);
                }
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

    private IEnumerable<string> MessageIds() =>
        System.IO.Directory.EnumerateFiles(layout.QueueDirectory, "*.eml")
            .Where(f => Path.GetExtension(f) == ".eml")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .ToList();

    /// <summary>The entry of <paramref name="id"/> as the files give it, and what was wrong with them.</summary>
    private Inspection Inspect(string id)
    {
        QueueEnvelopeRead envelope;
        try
        {
            using var file = new FileStream(MessagePath(id), FileMode.Open, FileAccess.Read,
                FileShare.Read | FileShare.Delete, 4096, FileOptions.None);
            envelope = QueueEnvelope.Read(file, id);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Inspection(null, QueueEnvelopeKind.Invalid, false);
        }

        if (!File.Exists(StatePath(id)))
        {
            return new Inspection(envelope.Entry, envelope.Kind, false);
        }

        try
        {
            var state = JsonSerializer.Deserialize<QueueEntry>(File.ReadAllBytes(StatePath(id)), Json);
            if (state is { Id.Length: > 0 } && state.Id == id && envelope.Kind != QueueEnvelopeKind.Invalid)
            {
                return new Inspection(state, envelope.Kind, false);
            }

            return new Inspection(envelope.Entry, envelope.Kind, state is null || state.Id != id);
        }
        catch (FileNotFoundException)
        {
            return new Inspection(envelope.Entry, envelope.Kind, false);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return new Inspection(envelope.Entry, envelope.Kind, true);
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

    private readonly record struct Inspection(QueueEntry? Entry, QueueEnvelopeKind Envelope, bool StateUnreadable);
}
