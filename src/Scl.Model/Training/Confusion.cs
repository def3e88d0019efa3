namespace MailGateway.Scl.Model.Training;

/// <summary>Messages per label and route (inbox, junk, archive, reject) at a set of thresholds.</summary>
public sealed record Confusion(IReadOnlyDictionary<string, int> Spam, IReadOnlyDictionary<string, int> Ham)
{
    public static readonly string[] Routes = ["inbox", "junk", "archive", "reject"];

    public static Confusion Of(IReadOnlyList<ScoredExample> examples, SclThresholds thresholds)
    {
        Dictionary<string, int> Count(bool spam) => Routes.ToDictionary(
            r => r, r => examples.Count(e => e.IsSpam == spam && thresholds.Route(e.Scl) == r));
        return new Confusion(Count(true), Count(false));
    }
}
