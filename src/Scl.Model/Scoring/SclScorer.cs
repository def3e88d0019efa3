using System.Globalization;
using MailGateway.Scl.Model.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// Turns a message into an <see cref="SclScore"/>. Safe to call from many SMTP sessions at once; never throws on
/// message content (only on cancellation). The model can be replaced at run time with <see cref="SwapModel"/>;
/// calls in flight finish on the model they started with.
/// </summary>
public sealed partial class SclScorer
{
    private readonly ILogger _logger;
    private SclModel _model;

    public SclScorer(SclModel model, ILogger<SclScorer>? logger = null)
    {
        _model = model;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The model in use now.</summary>
    public SclModel Model => Volatile.Read(ref _model);

    /// <summary>Loads the model shipped beside the application (<see cref="SclModel.DefaultPath"/>).</summary>
    public static SclScorer LoadDefault(ILogger<SclScorer>? logger = null) => new(SclModel.Load(SclModel.DefaultPath), logger);

    /// <summary>Parses and scores a raw message (RFC 822 bytes). Unparseable input gets a score from what could be read.</summary>
    public async Task<SclScore> ScoreAsync(Stream message, CancellationToken cancellationToken)
    {
        var (_, features) = await FeatureExtractor.ExtractAsync(message, cancellationToken).ConfigureAwait(false);
        return Score(features);
    }

    /// <summary>Scores a message the filter chain has already parsed.</summary>
    public SclScore Score(MimeMessage message) => Score(FeatureExtractor.Extract(message));

    /// <summary>Scores features measured earlier (the chain measures once and shares them).</summary>
    public SclScore Score(MessageFeatures features)
    {
        var model = Model;
        var notes = new List<string>(features.Notes.Count + 1);
        double margin;
        try
        {
            margin = model.Margin(features);
        }
        catch (Exception ex)
        {
            // The pipeline should accept any features; if it does not, the message is neutral, not an outage.
            LogModelFailed(_logger, ex, model.Id);
            margin = double.NaN;
            notes.Add($"model-failed: {ex.GetType().Name}");
        }

        var logOdds = double.IsNaN(margin) ? 0 : model.Calibration.LogOdds(margin);
        var probability = double.IsNaN(margin) ? 0.5 : model.Calibration.Probability(margin);
        var scl = double.IsNaN(margin) ? 0 : model.Mapping.ToScl(logOdds);
        notes.Insert(0, string.Create(CultureInfo.InvariantCulture, $"scl-model {model.Id}: p={probability:0.000000} log-odds={logOdds:0.000} scl={scl}"));
        notes.AddRange(features.Notes);
        return new SclScore
        {
            Probability = probability,
            LogOdds = logOdds,
            Scl = scl,
            TraceNotes = notes,
            Features = features,
        };
    }

    /// <summary>
    /// Why features get their score with the model in use now (<see cref="SclModel.Explain"/>); null when the model
    /// cannot say or fails on them (logged). Costs more than <see cref="Score(MessageFeatures)"/>: for a person asking.
    /// </summary>
    public SclExplanation? Explain(MessageFeatures features)
    {
        var model = Model;
        try
        {
            return model.Explain(features);
        }
        catch (Exception ex)
        {
            LogModelFailed(_logger, ex, model.Id);
            return null;
        }
    }

    /// <summary>Parses a raw message and explains its score (<see cref="Explain(MessageFeatures)"/>).</summary>
    public async Task<SclExplanation?> ExplainAsync(Stream message, CancellationToken cancellationToken)
    {
        var (_, features) = await FeatureExtractor.ExtractAsync(message, cancellationToken).ConfigureAwait(false);
        return Explain(features);
    }

    /// <summary>Replaces the model for all later calls and logs old → new.</summary>
    public void SwapModel(SclModel newModel)
    {
        var old = Interlocked.Exchange(ref _model, newModel);
        LogSwapped(_logger, old.Id, newModel.Id, newModel.Info.Learner);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "SCL model swapped {OldModel} -> {NewModel} ({Learner})")]
    private static partial void LogSwapped(ILogger logger, string oldModel, string newModel, string learner);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "SCL model {Model} failed to score a message")]
    private static partial void LogModelFailed(ILogger logger, Exception exception, string model);
}
