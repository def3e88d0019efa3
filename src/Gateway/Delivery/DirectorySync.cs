namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Group commit for directory fsyncs: many sessions linking into the same new/ at once share one fsync instead of
/// queueing one each (<see cref="GroupCommit"/>).
/// </summary>
public sealed class DirectorySync
{
    private readonly GroupCommit _commit = new(DurableIo.FsyncDirectory, "fsync-directory");

    /// <summary>Completes when an fsync of <paramref name="directory"/> that started after this call has finished.</summary>
    public Task SyncAsync(string directory) => _commit.RequestAsync(directory);
}
