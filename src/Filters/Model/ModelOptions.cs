namespace MailGateway.Filters.Model;

/// <summary>The model part of the <c>Scl</c> section.</summary>
public sealed class ModelOptions
{
    public const string Section = "Scl";

    /// <summary>The model file; empty means the model shipped beside the program (Model/scl-model.zip).</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// Quiet time after the model file changes before it is read, so a copy in progress is not loaded half-written
    /// (a half-written file is refused anyway, and the running model kept).
    /// </summary>
    public int ReloadDelayMilliseconds { get; set; } = 1000;

    /// <summary>Poll the file (every 4 s) instead of relying on inotify, for NFS or bind mounts that raise no events.</summary>
    public bool UsePollingFileWatcher { get; set; }
}
