namespace MailGateway.Filters.Keywords;

/// <summary>The <c>Keywords</c> configuration section: where the custom keyword list is and whether it is used.</summary>
public sealed class KeywordOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Keywords";

    /// <summary>Whether the keyword filter runs; read per message, so it can be switched without a restart.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The keyword file; a relative path is resolved against the base directory the gateway passes to
    /// <see cref="KeywordServiceCollectionExtensions.AddKeywordList"/> (its config folder). Read once at start.
    /// </summary>
    public string Path { get; set; } = "keywords.json";

    /// <summary>Quiet time after the file changes before it is reloaded, so an editor's several writes make one reload.</summary>
    public int ReloadDelayMilliseconds { get; set; } = 500;

    /// <summary>Poll the file (every 4 s) instead of relying on inotify, for NFS or bind mounts that raise no events.</summary>
    public bool UsePollingFileWatcher { get; set; }
}
