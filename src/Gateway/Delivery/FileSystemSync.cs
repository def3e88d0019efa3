using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Group commit for the whole storage file system (<c>Storage:Sync = FileSystem</c>): one <c>syncfs</c> of the file
/// system that holds <c>Storage:Root</c> makes every file and directory change made before it durable, so the messages
/// of all sessions that ask at once share one write-back and one device flush instead of two fsyncs each. The syncs run
/// on a thread of their own, so a sync never holds a thread-pool thread.
/// </summary>
public sealed class FileSystemSync(IOptions<StorageOptions> options)
{
    private static readonly DedicatedThread SyncThread = new("mailgw-syncfs");
    private readonly GroupCommit _commit = new(DurableIo.SyncFileSystem, SyncThread.Post);
    private readonly string _root = options.Value.FullRoot;

    /// <summary>Completes when a <c>syncfs</c> that started after this call has finished.</summary>
    public Task SyncAsync() => _commit.RequestAsync(_root);
}
