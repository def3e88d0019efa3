using System.Net;
using MailGateway.Filters.ConfigFiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.AllowList;

/// <summary>
/// The allow- and block-lists from <c>AllowList:Path</c>: loaded when constructed, reloaded when the file changes. A new
/// file that does not parse, or a deleted file, leaves the last good lists in use and logs an error or a warning.
/// Thread-safe; register it as a singleton and resolve it at start, so an invalid file stops the start.
/// </summary>
public sealed partial class AllowListService : IDisposable
{
    private readonly IOptionsMonitor<AllowListOptions> _options;
    private readonly ILogger<AllowListService> _logger;
    private readonly ReloadingFile<AllowListPolicy> _file;

    /// <summary>Loads the file and starts watching it.</summary>
    /// <param name="options">The <c>AllowList</c> section; <c>Path</c> is read once, <c>Enabled</c> per message.</param>
    /// <param name="baseDirectory">Where a relative <c>AllowList:Path</c> is resolved: the gateway's config folder.</param>
    /// <param name="logger">Receives the load, reload and failure events.</param>
    /// <param name="timeProvider">Clock of the reload delay.</param>
    /// <exception cref="ConfigFileException">The file exists but is invalid, or its directory does not exist.</exception>
    public AllowListService(
        IOptionsMonitor<AllowListOptions> options, string baseDirectory, ILogger<AllowListService> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _logger = logger;

        var current = options.CurrentValue;
        Path = ConfigFilePath.Resolve(current.Path, baseDirectory);
        var settings = new ReloadingFileSettings(
            TimeSpan.FromMilliseconds(current.ReloadDelayMilliseconds), current.UsePollingFileWatcher, timeProvider);
        _file = ReloadingFile<AllowListPolicy>.Open(
            Path,
            bytes => AllowListFile.Parse(bytes),
            AllowListPolicy.Empty,
            settings,
            (old, next) => LogReloaded(Path, old.AllowCount, next.AllowCount, old.BlockCount, next.BlockCount),
            (old, exception) => LogInvalid(exception, Path, old.AllowCount, old.BlockCount,
                exception is ConfigFileException config ? config.Reason : exception.Message),
            old => LogMissing(Path, old.AllowCount, old.BlockCount));
        LogLoaded(Path, _file.Current.AllowCount, _file.Current.BlockCount);
    }

    /// <summary>The full path of the lists' file.</summary>
    public string Path { get; }

    /// <summary>AllowList:Enabled, read now.</summary>
    public bool IsEnabled => _options.CurrentValue.Enabled;

    /// <summary>The last good lists.</summary>
    public AllowListPolicy Current => _file.Current;

    /// <summary>
    /// <see cref="AllowListPolicy.Evaluate"/> on the current lists, or <see cref="AllowListDecision.None"/> when
    /// AllowList:Enabled is false.
    /// </summary>
    public AllowListDecision Evaluate(string? envelopeSender, string? headerFrom, IPAddress? clientAddress,
        Func<string?, bool>? isAuthenticated = null) =>
        IsEnabled ? Current.Evaluate(envelopeSender, headerFrom, clientAddress, isAuthenticated) : AllowListDecision.None;

    /// <summary>AllowList:RequireAuthentication, read per message.</summary>
    public bool RequireAuthentication => _options.CurrentValue.RequireAuthentication;

    /// <summary>Stops watching the file.</summary>
    public void Dispose() => _file.Dispose();

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information,
        Message = "AllowList: loaded {Path}: {AllowCount} allow, {BlockCount} block rules")]
    private partial void LogLoaded(string path, int allowCount, int blockCount);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information,
        Message = "AllowList: reloaded {Path}: allow {OldAllowCount} → {AllowCount}, block {OldBlockCount} → {BlockCount}")]
    private partial void LogReloaded(string path, int oldAllowCount, int allowCount, int oldBlockCount, int blockCount);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error,
        Message = "AllowList: {Path} is invalid, keeping the last good lists ({AllowCount} allow, {BlockCount} block): {Reason}")]
    private partial void LogInvalid(Exception exception, string path, int allowCount, int blockCount, string reason);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning,
        Message = "AllowList: {Path} does not exist, using the last good lists ({AllowCount} allow, {BlockCount} block) until it does")]
    private partial void LogMissing(string path, int allowCount, int blockCount);
}
