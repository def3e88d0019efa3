namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Storage</c> section: where mailboxes, the archive and the spool live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Root { get; set; } = "./var";

    /// <summary>Messages up to this size are spooled in memory while they arrive; larger ones go to a file.</summary>
    public int SpoolMemoryBytes { get; set; } = 256 * 1024;

    /// <summary>How a stored message is made durable before the 250 (<see cref="StorageSyncMode"/>).</summary>
    public StorageSyncMode Sync { get; set; } = StorageSyncMode.FileSystem;

    public string FullRoot => Path.GetFullPath(Root);
}
