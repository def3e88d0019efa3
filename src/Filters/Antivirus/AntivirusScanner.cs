using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The antivirus stage: scans one message with clamd and returns a <see cref="ScanVerdict"/>. Never throws for clamd's
/// failures (unreachable, timeout, size limit, ERROR): those are <see cref="FailedVerdict"/>s for the gateway to map
/// to 451 or to a skipped header. Thread-safe; register it as a singleton.
/// </summary>
public sealed partial class AntivirusScanner
{
    /// <summary>
    /// How long a clamd engine version is reused for the <c>X-Virus-Scanned</c> header. clamd reloads its databases
    /// (SelfCheck, default 10 minutes), so the version changes rarely but does change without a restart.
    /// </summary>
    public static readonly TimeSpan VersionCacheDuration = TimeSpan.FromMinutes(5);

    private readonly IOptionsMonitor<AntivirusOptions> _options;
    private readonly AntivirusMetrics _metrics;
    private readonly ILogger<AntivirusScanner> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ClamdSessionPool _sessions;
    private readonly SemaphoreSlim _versionRefresh = new(1, 1);
    private CachedVersion? _cachedVersion;

    /// <summary>Creates the scanner. Options are read per scan, but appsettings.json is read once at start: a change takes a restart.</summary>
    public AntivirusScanner(
        IOptionsMonitor<AntivirusOptions> options,
        AntivirusMetrics metrics,
        ILogger<AntivirusScanner> logger,
        TimeProvider timeProvider,
        ClamdSessionPool sessions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(sessions);
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
        _sessions = sessions;
    }

    /// <summary>Antivirus:Enabled. When false the gateway skips the stage; <see cref="ScanAsync"/> still scans.</summary>
    public bool IsEnabled => _options.CurrentValue.Enabled;

    /// <summary>The current options, for the gateway's OnInfected / OnError decisions.</summary>
    public AntivirusOptions Options => _options.CurrentValue;

    /// <summary>
    /// Streams <paramref name="message"/> (from its current position; not disposed) to clamd and returns the verdict.
    /// The whole scan is bounded by Antivirus:TimeoutSeconds.
    /// </summary>
    /// <param name="message">The message as received, e.g. the spool file.</param>
    /// <param name="messageId">The gateway's id for the message, for the log.</param>
    /// <param name="cancellationToken">The session's token; its cancellation is rethrown, not turned into a verdict.</param>
    public async Task<ScanVerdict> ScanAsync(Stream message, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var current = _options.CurrentValue;
        var endpoint = ClamdEndpoint.FromOptions(current);
        var started = Stopwatch.GetTimestamp();
        _metrics.ScanStarted();
        ScanVerdict verdict;
        long bytes = 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(current.TimeoutSeconds));
            try
            {
                // A pooled clamd session (IDSESSION): no new connection per scan.
                var result = await _sessions.ScanAsync(endpoint, message, timeout.Token).ConfigureAwait(false);
                bytes = result.BytesSent;
                verdict = result.Reply.Status switch
                {
                    ClamdReplyStatus.Clean => new CleanVerdict(await GetEngineVersionAsync(cancellationToken).ConfigureAwait(false)),
                    ClamdReplyStatus.Infected => new InfectedVerdict(result.Reply.Signature!),
                    ClamdReplyStatus.SizeLimitExceeded => new FailedVerdict(ScanFailureReason.SizeLimitExceeded, result.Reply.Text),
                    _ => new FailedVerdict(ScanFailureReason.Error, ClamdReplyParser.ErrorText(result.Reply.Text)),
                };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                verdict = new FailedVerdict(ScanFailureReason.Timeout,
                    $"no verdict from clamd at {endpoint} within {current.TimeoutSeconds} s");
            }
            catch (ClamdConnectionException ex)
            {
                verdict = new FailedVerdict(ScanFailureReason.Unreachable, ex.Message);
            }
            catch (IOException ex)
            {
                verdict = new FailedVerdict(ScanFailureReason.Error, ex.Message);
            }
        }
        catch
        {
            _metrics.ScanAbandoned();
            throw;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.ScanFinished(verdict, bytes, elapsed);
        LogVerdict(messageId, verdict, endpoint, bytes, elapsed);
        return verdict;
    }

    /// <summary>Sends PING; false when clamd does not answer within the timeout. For health checks.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        var current = _options.CurrentValue;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(current.TimeoutSeconds));
        try
        {
            return await new ClamdClient(ClamdEndpoint.FromOptions(current)).PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// clamd's engine and database version, asked with VERSION at most once per <see cref="VersionCacheDuration"/>
    /// (and again when the endpoint changes). When clamd cannot be asked, the last known version, else
    /// <see cref="ClamdVersion.Unknown"/>: a header detail must not fail a scan that succeeded.
    /// </summary>
    public async Task<ClamdVersion> GetEngineVersionAsync(CancellationToken cancellationToken)
    {
        var current = _options.CurrentValue;
        var endpoint = ClamdEndpoint.FromOptions(current);
        if (IsFresh(_cachedVersion, endpoint))
        {
            return _cachedVersion!.Version;
        }

        await _versionRefresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var cached = _cachedVersion;
            if (IsFresh(cached, endpoint))
            {
                return cached!.Version;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(current.TimeoutSeconds));
            try
            {
                var version = await new ClamdClient(endpoint).GetVersionAsync(timeout.Token).ConfigureAwait(false);
                _cachedVersion = new CachedVersion(version, endpoint, _timeProvider.GetUtcNow());
                return version;
            }
            catch (Exception ex) when (ex is IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogVersionFailed(endpoint.ToString(), ex.Message);
                return cached is not null && cached.Endpoint == endpoint ? cached.Version : ClamdVersion.Unknown;
            }
        }
        finally
        {
            _versionRefresh.Release();
        }
    }

    private bool IsFresh(CachedVersion? cached, ClamdEndpoint endpoint) =>
        cached is not null
        && cached.Endpoint == endpoint
        && _timeProvider.GetUtcNow() - cached.FetchedAt < VersionCacheDuration;

    private void LogVerdict(string messageId, ScanVerdict verdict, ClamdEndpoint endpoint, long bytes, TimeSpan elapsed)
    {
        var elapsedMs = Math.Round(elapsed.TotalMilliseconds, 1);
        switch (verdict)
        {
            case CleanVerdict clean:
                LogClean(messageId, clean.EngineVersion.ToString(), bytes, elapsedMs);
                break;
            case InfectedVerdict infected:
                LogInfected(messageId, infected.Signature, bytes, elapsedMs);
                break;
            case FailedVerdict failed:
                LogFailed(messageId, failed.ReasonText, failed.Detail, endpoint.ToString(), elapsedMs);
                break;
        }
    }

    // Debug: the gateway's one event per message already carries the antivirus outcome in its trace.
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug,
        Message = "Antivirus: {MessageId} is clean ({Engine}, {Bytes} bytes, {ElapsedMs} ms)")]
    private partial void LogClean(string messageId, string engine, long bytes, double elapsedMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Antivirus: {MessageId} is infected with {Signature} ({Bytes} bytes, {ElapsedMs} ms)")]
    private partial void LogInfected(string messageId, string signature, long bytes, double elapsedMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "Antivirus: {MessageId} could not be scanned: {FailureReason} ({Detail}; clamd {Endpoint}, {ElapsedMs} ms)")]
    private partial void LogFailed(string messageId, string failureReason, string detail, string endpoint, double elapsedMs);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "Antivirus: clamd at {Endpoint} did not tell its version: {Detail}")]
    private partial void LogVersionFailed(string endpoint, string detail);

    private sealed record CachedVersion(ClamdVersion Version, ClamdEndpoint Endpoint, DateTimeOffset FetchedAt);
}
