namespace MailGateway.Gateway.Spool;

/// <summary>
/// Whether a failed write means a full disk: the one check the spool and every store use to answer 452 4.3.1 (the
/// client keeps the message and tries later) instead of 451.
/// </summary>
public static class DiskSpace
{
    /// <summary>errno for "no space left on device".</summary>
    public const int ENOSPC = 28;

    /// <summary>errno for "disk quota exceeded".</summary>
    public const int EDQUOT = 122;

    /// <summary>True when the exception (or one inside it) means the disk or the quota is full.</summary>
    public static bool IsFull(Exception ex) =>
        ex is IOException io && ((io.HResult & 0xFFFF) is ENOSPC or EDQUOT || io.Message.Contains("No space left", StringComparison.Ordinal))
        || ex.InnerException is { } inner && IsFull(inner);
}
