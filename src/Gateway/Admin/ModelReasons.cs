using System.Globalization;
using MailGateway.Filters.Model;
using MailGateway.Scl.Model.Scoring;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The model's reasons for an archived message, for the console's message view: the archived copy is scored again
/// by the model loaded now (<see cref="SclScorerHost"/>) and explained (<see cref="SclScorer.Explain"/>). Computed when
/// a page asks, never per message on the SMTP path: explaining costs about as much again as a score.
/// </summary>
public static class ModelReasons
{
    /// <summary>
    /// "why: the subject: 'free' (+2.1), … (model 1a2b3c4d5e6f, scored again now)", saying so when the model now gives
    /// another SCL than <paramref name="tracedScl"/> (the SCL the Model filter set when the message arrived); null when
    /// no model is loaded, the model cannot explain its score, or the copy cannot be read.
    /// </summary>
    public static async Task<string?> DescribeAsync(SclScorerHost host, string path, int? tracedScl, CancellationToken cancellationToken)
    {
        if (host.Scorer is not { } scorer)
        {
            return null;
        }

        SclExplanation? explanation;
        try
        {
            await using var stream = File.OpenRead(path);
            explanation = await scorer.ExplainAsync(stream, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (explanation is null)
        {
            return null;
        }

        var now = explanation.Scl == tracedScl
            ? "scored again now"
            : string.Create(CultureInfo.InvariantCulture,
                $"scored again now: SCL {explanation.Scl}, spam probability {explanation.Probability * 100:0}%");
        return $"why: {SclReasonWords.Of(explanation)} (model {explanation.ModelId}, {now})";
    }
}
