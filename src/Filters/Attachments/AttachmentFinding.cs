namespace MailGateway.Filters.Attachments;

/// <summary>What the attachment policy found in one attachment or archive entry.</summary>
public enum AttachmentFindingKind
{
    /// <summary>An unknown state the stage cannot rank; never produced.</summary>
    None,

    /// <summary>A file the stage could not read to a verdict (corrupt or truncated archive, over a bound, out of time).</summary>
    Unscannable,

    /// <summary>A password-protected archive.</summary>
    EncryptedArchive,

    /// <summary>A blocked name or real type.</summary>
    Blocked,
}

/// <summary>
/// One finding: its kind (ranked: a blocked file outweighs an encrypted archive, which outweighs an unscannable one),
/// the file (an archive entry as <c>archive.zip/dir/entry</c>), and why, in words without blanks for the trace.
/// </summary>
public sealed record AttachmentFinding(AttachmentFindingKind Kind, string FileName, string Reason)
{
    /// <summary>The weightier of two findings (the first when they weigh the same).</summary>
    public static AttachmentFinding? Worst(AttachmentFinding? a, AttachmentFinding? b) =>
        a is null ? b : b is null ? a : b.Kind > a.Kind ? b : a;
}
