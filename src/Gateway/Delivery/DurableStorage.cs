using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The two durability steps every store takes before a 250, in the way <c>Storage:Sync</c> chooses: first the content
/// of a newly written file, then the names (rename or link) that make it visible. With <c>FileSystem</c> both are
/// shared <c>syncfs</c> calls (<see cref="FileSystemSync"/>); with <c>PerFile</c> an fsync of the file and a
/// group-committed fsync of each directory that changed (<see cref="DirectorySync"/>). A file must never get its
/// visible name before <see cref="ContentWrittenAsync"/> has returned.
/// </summary>
public sealed class DurableStorage(IOptions<StorageOptions> options, DirectorySync directories, FileSystemSync fileSystems)
{
    public StorageSyncMode Mode { get; } = options.Value.Sync;

    /// <summary>Makes what was written to <paramref name="file"/> durable (the file stays open).</summary>
    public Task ContentWrittenAsync(FileStream file, CancellationToken cancellationToken)
    {
        if (Mode == StorageSyncMode.PerFile)
        {
            // On this thread: async file I/O on Linux is thread-pool work, so awaiting it only adds hops.
            file.Flush(flushToDisk: true);
            return Task.CompletedTask;
        }

        file.Flush(flushToDisk: false);
        return fileSystems.SyncAsync(Path.GetDirectoryName(file.Name)!).WaitAsync(cancellationToken);
    }

    /// <summary>Makes the names created, renamed or removed in <paramref name="changedDirectories"/> durable.</summary>
    public Task NamesChangedAsync(IEnumerable<string> changedDirectories) =>
        Task.WhenAll(changedDirectories.Distinct(StringComparer.Ordinal).Select(Sync));

    /// <inheritdoc cref="NamesChangedAsync(IEnumerable{string})"/>
    public Task NamesChangedAsync(string changedDirectory) => Sync(changedDirectory);

    // Requests for directories on the same file system while one syncfs runs share the next one (FileSystemSync).
    private Task Sync(string directory) =>
        Mode == StorageSyncMode.PerFile ? directories.SyncAsync(directory) : fileSystems.SyncAsync(directory);
}
