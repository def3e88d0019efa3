using System.Collections.Concurrent;
using System.Globalization;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Group commit per file system (<c>Storage:Sync = FileSystem</c>): one <c>syncfs</c> of the file system that holds a
/// directory makes every file and directory change made on it before the call durable, so the messages of all
/// sessions that ask at once share one write-back and one device flush instead of two fsyncs each. File systems are
/// told apart by device number, so a store under <c>Storage:Root</c> that an administrator mounted separately (mail/
/// on its own volume) gets a sync of its own file system. Each file system's syncs run on a thread of their own, so a
/// sync never holds a thread-pool thread and a busy file system never keeps another one's sync waiting.
/// </summary>
public sealed class FileSystemSync
{
    private static readonly ConcurrentDictionary<string, DedicatedThread> SyncThreads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _deviceOfDirectory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _directoryOnDevice = new(StringComparer.Ordinal);
    private readonly GroupCommit _commit;

    public FileSystemSync()
    {
        _commit = new GroupCommit(device => DurableIo.SyncFileSystem(_directoryOnDevice[device]), "syncfs",
            (device, work) => SyncThreads.GetOrAdd(device, d => new DedicatedThread("mailgw-syncfs-" + d)).Post(work));
    }

    /// <summary>
    /// Completes when a <c>syncfs</c> of the file system holding <paramref name="directory"/> that started after this
    /// call has finished.
    /// </summary>
    public Task SyncAsync(string directory)
    {
        var device = _deviceOfDirectory.GetOrAdd(directory,
            d => DurableIo.DeviceOf(d).ToString(CultureInfo.InvariantCulture));
        // Any directory on the device will do for the syncfs; the latest one asked about certainly still exists.
        _directoryOnDevice[device] = directory;
        return _commit.RequestAsync(device);
    }
}
