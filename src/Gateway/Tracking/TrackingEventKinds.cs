namespace MailGateway.Gateway.Tracking;

/// <summary>The kinds of <see cref="TrackingEvent"/>, as stored.</summary>
public static class TrackingEventKinds
{
    /// <summary>Released from the archive to its recipients' inboxes (counts as ham).</summary>
    public const string Released = "released";

    /// <summary>Marked as spam by an administrator (kept for retraining).</summary>
    public const string MarkedSpam = "marked-spam";

    /// <summary>Marked as ham by an administrator (kept for retraining).</summary>
    public const string MarkedHam = "marked-ham";

    /// <summary>Relay mode: the internal server accepted it for these recipients (its reply in the detail).</summary>
    public const string Relayed = "relayed";

    /// <summary>Relay mode: the internal server deferred it (a 4xx, or no connection); it stays queued.</summary>
    public const string Deferred = "deferred";

    /// <summary>Relay mode: the internal server refused it for good, or it expired in the queue; a bounce was sent.</summary>
    public const string Bounced = "bounced";

    /// <summary>The archived file was deleted.</summary>
    public const string Deleted = "deleted";
}
