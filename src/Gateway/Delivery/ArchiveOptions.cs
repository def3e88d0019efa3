namespace MailGateway.Gateway.Delivery;

/// <summary>The <c>Archive</c> section: how long archived messages are kept.</summary>
public sealed class ArchiveOptions
{
    public const string Section = "Archive";

    /// <summary>Days an archived message (and a kept virus) is kept, counted from the day it arrived; 0 keeps them for ever.</summary>
    public int RetentionDays { get; set; }

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
