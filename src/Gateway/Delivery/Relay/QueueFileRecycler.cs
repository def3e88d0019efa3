using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// Keeps the files of delivered queue entries, emptied, for the next messages to be written into, so the relay
/// queue does not create and delete one inode per message. On ext4 without a journal (this project's test machine)
/// every new inode is checked against recently deleted ones, and with thousands of queue files deleted a minute that
/// check was 15% of the gateway's CPU in relay mode (perf: <c>recently_deleted</c> under <c>openat</c>).
/// A spare is renamed out of the queue first (that is the removal) and emptied after, so no queue file is ever seen
/// empty; spares left by a stop are deleted at start, as they may still hold a delivered message.
/// </summary>
public sealed class QueueFileRecycler(string directory, int capacity, ILogger logger)
{
    private readonly ConcurrentQueue<string> _spares = new();
    private int _count;
    private long _sequence;

    /// <summary>Spare files ready for reuse.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>At start: deletes every spare file left in the directory and makes sure the directory exists.</summary>
    public int Reset()
    {
        while (_spares.TryDequeue(out _))
        {
        }

        Volatile.Write(ref _count, 0);
        Directory.CreateDirectory(directory);
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Moves a spare file to <paramref name="path"/> (which must not exist); false when there is none.</summary>
    public bool TryTakeInto(string path)
    {
        while (_spares.TryDequeue(out var spare))
        {
            Interlocked.Decrement(ref _count);
            try
            {
                File.Move(spare, path);
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogDebug(ex, "Spare queue file {Path} could not be reused", spare);
                TryDelete(spare);
            }
        }

        return false;
    }

    /// <summary>
    /// Moves the file at <paramref name="path"/> out of the queue into the spares and empties it. False when there
    /// are enough spares or the move failed: the caller deletes the file as before.
    /// </summary>
    public bool TryRetire(string path)
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        var spare = Path.Combine(directory, Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture));
        try
        {
            File.Move(path, spare);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        try
        {
            using var handle = File.OpenHandle(spare, FileMode.Open, FileAccess.Write);
            RandomAccess.SetLength(handle, 0);
            _spares.Enqueue(spare);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Out of the queue already; only the spare is lost.
            logger.LogDebug(ex, "Spare queue file {Path} could not be emptied; deleted", spare);
            Interlocked.Decrement(ref _count);
            TryDelete(spare);
        }

        return true;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
