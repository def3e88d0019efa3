using MailGateway.Filters.ConfigFiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Keywords;

/// <summary>
/// The custom keyword list from <c>Keywords:Path</c>: loaded when constructed, reloaded when the file changes. A new
/// file that does not parse, or a deleted file, leaves the last good list in use and logs an error or a warning.
/// Thread-safe; register it as a singleton and resolve it at start, so an invalid file stops the start.
/// </summary>
public sealed partial class KeywordList : IDisposable
{
    private readonly IOptionsMonitor<KeywordOptions> _options;
    private readonly ILogger<KeywordList> _logger;
    private readonly ReloadingFile<KeywordMatcher> _file;

    /// <summary>Loads the file and starts watching it.</summary>
    /// <param name="options">The <c>Keywords</c> section; <c>Path</c> is read once, <c>Enabled</c> per message.</param>
    /// <param name="baseDirectory">Where a relative <c>Keywords:Path</c> is resolved: the gateway's config folder.</param>
    /// <param name="logger">Receives the load, reload and failure events.</param>
    /// <param name="timeProvider">Clock of the reload delay.</param>
    /// <exception cref="ConfigFileException">The file exists but is invalid, or its directory does not exist.</exception>
    public KeywordList(IOptionsMonitor<KeywordOptions> options, string baseDirectory, ILogger<KeywordList> logger, TimeProvider timeProvider)
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
        _file = ReloadingFile<KeywordMatcher>.Open(
            Path,
            bytes => KeywordFile.Parse(bytes),
            KeywordMatcher.Empty,
            settings,
            (old, next) => LogReloaded(Path, old.GoodCount, next.GoodCount, old.BadCount, next.BadCount),
            (old, exception) => LogInvalid(exception, Path, old.GoodCount, old.BadCount, ReasonOf(exception)),
            old => LogMissing(Path, old.GoodCount, old.BadCount));
        LogLoaded(Path, _file.Current.GoodCount, _file.Current.BadCount);
    }

    /// <summary>The full path of the keyword file.</summary>
    public string Path { get; }

    /// <summary>Keywords:Enabled, read now.</summary>
    public bool IsEnabled => _options.CurrentValue.Enabled;

    /// <summary>The last good list. Take it once per message so subject and body are judged by the same list.</summary>
    public KeywordMatcher Current => _file.Current;

    /// <summary>
    /// <see cref="KeywordMatcher.Evaluate(string?, string?)"/> on the current list, or null when Keywords:Enabled is
    /// false.
    /// </summary>
    public KeywordMatch? Evaluate(string? subject, string? body) => IsEnabled ? Current.Evaluate(subject, body) : null;

    /// <summary>Stops watching the file.</summary>
    public void Dispose() => _file.Dispose();

    private static string ReasonOf(Exception exception) =>
        exception is ConfigFileException config ? config.Reason : exception.Message;

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information,
        Message = "Keywords: loaded {Path}: {GoodCount} good, {BadCount} bad phrases")]
    private partial void LogLoaded(string path, int goodCount, int badCount);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information,
        Message = "Keywords: reloaded {Path}: good {OldGoodCount} → {GoodCount}, bad {OldBadCount} → {BadCount}")]
    private partial void LogReloaded(string path, int oldGoodCount, int goodCount, int oldBadCount, int badCount);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error,
        Message = "Keywords: {Path} is invalid, keeping the last good list ({GoodCount} good, {BadCount} bad): {Reason}")]
    private partial void LogInvalid(Exception exception, string path, int goodCount, int badCount, string reason);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning,
        Message = "Keywords: {Path} does not exist, using the last good list ({GoodCount} good, {BadCount} bad) until it does")]
    private partial void LogMissing(string path, int goodCount, int badCount);
}
