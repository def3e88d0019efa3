namespace MailGateway.Filters.ConfigFiles;

/// <summary>How a <see cref="ReloadingFile{T}"/> watches its file.</summary>
/// <param name="Debounce">Quiet time after the last change before the file is read.</param>
/// <param name="UsePolling">
/// Poll (every 4 s) instead of inotify, for file systems that raise no events (NFS, some container bind mounts).
/// </param>
/// <param name="TimeProvider">The clock for the debounce timer.</param>
public sealed record ReloadingFileSettings(TimeSpan Debounce, bool UsePolling, TimeProvider TimeProvider);
