using MailGateway.Filters.ConfigFiles;
using MailGateway.Scl.Model.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Model;

/// <summary>
/// Owns the scorer: loads the model from <c>Scl:ModelPath</c> at start and swaps in a new file placed at that path
/// without a restart, through the gateway's one file watcher (<see cref="ReloadingFile{T}"/>: debounced, and a file
/// whose bytes did not change is not loaded again). The scorer logs each swap old → new; a file that does not load (an
/// older model format, a broken or half-written file) is logged and the running model kept. A missing model leaves the
/// gateway running without model scores (logged as an error; the Model filter reports "no-model").
/// </summary>
public sealed partial class SclScorerHost : IDisposable
{
    private readonly ILogger<SclScorerHost> _logger;
    private readonly ReloadingFile<LoadedModel>? _file;
    private SclScorer? _scorer;

    public SclScorerHost(IOptions<ModelOptions> options, ILoggerFactory loggers)
        : this(options, loggers, TimeProvider.System)
    {
    }

    /// <param name="options">The <c>Scl</c> section; read once.</param>
    /// <param name="loggers">Loggers of the host, the model load and the scorer.</param>
    /// <param name="timeProvider">Clock of the reload delay.</param>
    public SclScorerHost(IOptions<ModelOptions> options, ILoggerFactory loggers, TimeProvider timeProvider)
    {
        var o = options.Value;
        Path = string.IsNullOrWhiteSpace(o.ModelPath) ? SclModel.DefaultPath : System.IO.Path.GetFullPath(o.ModelPath);
        _logger = loggers.CreateLogger<SclScorerHost>();
        if (!File.Exists(Path) && !string.IsNullOrWhiteSpace(o.ModelPath))
        {
            // A model the administrator named and that is not there is a configuration error, not a degraded mode.
            throw new ConfigFileException(Path, "Scl:ModelPath: no model file there");
        }

        if (!File.Exists(Path))
        {
            LogNoModel(Path);
            return;
        }

        var modelLogger = loggers.CreateLogger<SclModel>();
        var scorerLogger = loggers.CreateLogger<SclScorer>();
        var settings = new ReloadingFileSettings(TimeSpan.FromMilliseconds(o.ReloadDelayMilliseconds), o.UsePollingFileWatcher, timeProvider);
        _file = ReloadingFile<LoadedModel>.Open(
            Path,
            bytes => LoadedModel.Parse(bytes, modelLogger),
            LoadedModel.None,
            settings,
            (_, next) => Swap(next, scorerLogger),
            (old, exception) => LogNotLoaded(exception, Path, old.Model?.Id ?? "no model", ReasonOf(exception)),
            old => LogMissing(Path, old.Model?.Id ?? "no model"));
        if (_file.Current.Model is { } model)
        {
            _scorer = new SclScorer(model, scorerLogger);
            LogLoaded(model.Id, Path);
        }
        else
        {
            LogNoModel(Path);
        }
    }

    public string Path { get; }

    /// <summary>Null while no model has loaded (none at start).</summary>
    public SclScorer? Scorer => Volatile.Read(ref _scorer);

    public void Dispose() => _file?.Dispose();

    private static string ReasonOf(Exception exception) =>
        exception is ConfigFileException config ? config.Reason : exception.Message;

    private void Swap(LoadedModel next, ILogger<SclScorer> scorerLogger)
    {
        if (next.Model is not { } model)
        {
            return;
        }

        // The scorer logs the swap old -> new; a model that appears after a start without one starts the scoring.
        if (Scorer is { } scorer)
        {
            scorer.SwapModel(model);
        }
        else
        {
            Volatile.Write(ref _scorer, new SclScorer(model, scorerLogger));
            LogLoaded(model.Id, Path);
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "SCL model {ModelId} loaded from {ModelPath}")]
    private partial void LogLoaded(string modelId, string modelPath);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "SCL model file {ModelPath} did not load; keeping {Model}: {Reason}")]
    private partial void LogNotLoaded(Exception exception, string modelPath, string model, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "SCL model file {ModelPath} was removed; keeping {Model}")]
    private partial void LogMissing(string modelPath, string model);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "No SCL model at {ModelPath}: messages are not scored by the model")]
    private partial void LogNoModel(string modelPath);

    /// <summary>The content of the watched file: a loaded model, or none (the file vanished before it was first read).</summary>
    private sealed record LoadedModel(SclModel? Model)
    {
        public static readonly LoadedModel None = new((SclModel?)null);

        /// <summary>Loads a model file's bytes; anything that does not load is refused as <see cref="InvalidDataException"/>.</summary>
        public static LoadedModel Parse(byte[] bytes, ILogger logger)
        {
            try
            {
                return new LoadedModel(SclModel.Load(bytes, logger));
            }
            catch (Exception exception) when (exception is not InvalidDataException)
            {
                // ML.NET reports a broken entry in its own exception types; each is a file to refuse, not a crash.
                throw new InvalidDataException($"not a model this build can load: {exception.Message}", exception);
            }
        }
    }
}
