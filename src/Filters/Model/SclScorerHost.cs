using MailGateway.Filters.ConfigFiles;
using MailGateway.Scl.Model.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Model;

/// <summary>
/// Owns the scorer: loads the model from <c>Scl:ModelPath</c> at start and swaps in a new file placed at that path
/// without a restart (logged old → new by the watcher). A missing model leaves the gateway running without model
/// scores (logged as an error; the Model filter reports "no-model").
/// </summary>
public sealed class SclScorerHost : IDisposable
{
    private readonly SclModelFileWatcher? _watcher;

    public SclScorerHost(IOptions<ModelOptions> options, ILoggerFactory loggers)
    {
        var o = options.Value;
        Path = string.IsNullOrWhiteSpace(o.ModelPath) ? SclModel.DefaultPath : System.IO.Path.GetFullPath(o.ModelPath);
        var logger = loggers.CreateLogger<SclScorerHost>();
        if (!File.Exists(Path) && !string.IsNullOrWhiteSpace(o.ModelPath))
        {
            // A model the administrator named and that is not there is a configuration error, not a degraded mode.
            throw new ConfigFileException(Path, "Scl:ModelPath: no model file there");
        }

        if (!File.Exists(Path))
        {
            logger.LogError("No SCL model at {ModelPath}: messages are not scored by the model", Path);
            return;
        }

        Scorer = new SclScorer(SclModel.Load(Path, loggers.CreateLogger<SclModel>()), loggers.CreateLogger<SclScorer>());
        _watcher = new SclModelFileWatcher(Path, Scorer, TimeSpan.FromSeconds(o.ModelPollSeconds),
            loggers.CreateLogger<SclModelFileWatcher>());
        logger.LogInformation("SCL model {ModelId} loaded from {ModelPath}", Scorer.Model.Id, Path);
    }

    public string Path { get; }

    /// <summary>Null when no model file was found at start.</summary>
    public SclScorer? Scorer { get; }

    public void Dispose() => _watcher?.Dispose();
}
