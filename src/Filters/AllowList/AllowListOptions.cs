namespace MailGateway.Filters.AllowList;

/// <summary>The <c>AllowList</c> configuration section: where the allow- and block-lists are and whether they are used.</summary>
public sealed class AllowListOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "AllowList";

    /// <summary>Whether the lists are consulted; read per message, so it can be switched without a restart.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The lists' file; a relative path is resolved against the base directory the gateway passes to
    /// <see cref="AllowListServiceCollectionExtensions.AddAllowList"/> (its config folder). Read once at start.
    /// </summary>
    public string Path { get; set; } = "allowlist.json";

    /// <summary>Quiet time after the file changes before it is reloaded, so an editor's several writes make one reload.</summary>
    public int ReloadDelayMilliseconds { get; set; } = 500;

    /// <summary>
    /// Sender and domain allow rules match only an authenticated identity: an SPF or DKIM pass, recorded by the Spf and
    /// Dkim stages before the allow-list, for the same organisational domain. Without it a forged From or MAIL FROM
    /// gets SCL -1. Network rules and block rules never need it. The offline verbs (score, eval) run no SPF or DKIM,
    /// so there sender and domain allow rules do not match while this is on.
    /// </summary>
    public bool RequireAuthentication { get; set; } = true;

    /// <summary>Poll the file (every 4 s) instead of relying on inotify, for NFS or bind mounts that raise no events.</summary>
    public bool UsePollingFileWatcher { get; set; }
}
