using System.Globalization;
using MailGateway.Filters.Chain;
using MailGateway.Scl.Model.Scoring;

namespace MailGateway.Filters.Model;

/// <summary>
/// The ML.NET spam scorer in the chain: sets the SCL (0..9) and the spam probability from the message's features,
/// unless a custom keyword already forced the SCL.
/// </summary>
public sealed class ModelFilter(SclScorerHost host) : IMessageFilter
{
    public string Name => "Model";

    public FilterKind Kind => FilterKind.Spam;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        if (context.IsSclForced)
        {
            return FilterStepResult.Continue("skipped-forced");
        }

        if (host.Scorer is not { } scorer)
        {
            return FilterStepResult.Continue("no-model");
        }

        var features = await context.GetFeaturesAsync(cancellationToken);
        var score = scorer.Score(features);
        context.SetScl(score.Scl);
        context.SpamProbability = score.Probability;
        foreach (var note in score.TraceNotes)
        {
            context.AddNote(note);
        }

        return FilterStepResult.Continue("p=" + score.Probability.ToString("0.000", CultureInfo.InvariantCulture));
    }
}
