namespace MailGateway.Gateway.Configuration;

/// <summary><c>Storage:Sync</c>: how a stored message is made durable before the 250.</summary>
public enum StorageSyncMode
{
    /// <summary>
    /// Group commit with <c>syncfs</c>: the messages of all sessions in flight share one sync of the storage file
    /// system (two per batch: the files, then their links). Best when <c>Storage:Root</c> has a file system of its own.
    /// </summary>
    FileSystem,

    /// <summary>An fsync of each message file, then a shared fsync of each new/ it was linked into.</summary>
    PerFile,
}
