using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// Watches the configured model path (<c>Scl:ModelPath</c>) and swaps a new file into the scorer without a restart.
/// Polls the file's time stamp and size rather than trusting file-system events alone (they are lost on some mounts
/// and fire mid-copy); a change must hold still for one poll before it is loaded. A file that does not load is
/// logged and the old model stays.
/// </summary>
public sealed partial class SclModelFileWatcher : IDisposable
{
    private readonly string _path;
    private readonly SclScorer _scorer;
    private readonly ILogger _logger;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private (DateTime Stamp, long Length) _loaded;
    private (DateTime Stamp, long Length)? _pending;

    /// <param name="path">The model file to watch; it may not exist yet.</param>
    /// <param name="scorer">The scorer whose model is replaced.</param>
    /// <param name="pollInterval">How often to look; 2 s when null.</param>
    /// <param name="logger">Where swaps and failures are logged.</param>
    public SclModelFileWatcher(string path, SclScorer scorer, TimeSpan? pollInterval = null, ILogger<SclModelFileWatcher>? logger = null)
    {
        _path = Path.GetFullPath(path);
        _scorer = scorer;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _loaded = Stamp();
        var interval = pollInterval ?? TimeSpan.FromSeconds(2);
        _timer = new Timer(_ => Poll(), null, interval, interval);
    }

    /// <summary>Raised after a successful swap (tests and metrics listen).</summary>
    public event Action<SclModel>? Swapped;

    /// <summary>Checks the file now; loads it when it changed and has held still since the last check.</summary>
    public void Poll()
    {
        lock (_gate)
        {
            var now = Stamp();
            if (now.Length == 0 || now == _loaded)
            {
                _pending = null;
                return;
            }

            if (_pending != now)
            {
                _pending = now;
                return;
            }

            _pending = null;
            _loaded = now;
            try
            {
                var model = SclModel.Load(_path, _logger);
                _scorer.SwapModel(model);
                Swapped?.Invoke(model);
            }
            catch (Exception ex)
            {
                LogLoadFailed(_logger, ex, _path, _scorer.Model.Id);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private (DateTime Stamp, long Length) Stamp()
    {
        try
        {
            var info = new FileInfo(_path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (default, 0);
        }
        catch (IOException)
        {
            return (default, 0);
        }
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "SCL model file {Path} did not load; keeping {Model}")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string path, string model);
}
