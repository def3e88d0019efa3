namespace MailGateway.Gateway.Routing;

/// <summary>
/// What a proposed set of thresholds would have done to past traffic: for the messages counted per SCL, how many
/// would have gone elsewhere, per direction ("inbox → junk": 12). Routes by SCL alone, as <see cref="SclRouter"/> does
/// before the bulk rule; messages no filter scored (no SCL) are not counted because no threshold moves them.
/// </summary>
public static class ThresholdImpact
{
    public static IReadOnlyList<(MessageRoute From, MessageRoute To, long Count)> Moves(
        IReadOnlyDictionary<int, long> countsByScl, SclOptions current, SclOptions proposed)
    {
        var moves = new Dictionary<(MessageRoute, MessageRoute), long>();
        foreach (var (scl, count) in countsByScl)
        {
            var from = SclRouter.RouteForScl(current, scl);
            var to = SclRouter.RouteForScl(proposed, scl);
            if (from != to && count > 0)
            {
                moves[(from, to)] = moves.GetValueOrDefault((from, to)) + count;
            }
        }

        return moves.Select(m => (m.Key.Item1, m.Key.Item2, m.Value))
            .OrderBy(m => m.Item1).ThenBy(m => m.Item2).ToList();
    }

    /// <summary>For the BCL histogram: messages that cross the bulk threshold, to junk (up) or back (down).</summary>
    public static (long ToJunk, long BackFromJunk) BulkMoves(IReadOnlyDictionary<int, long> countsByBcl, int current, int proposed)
    {
        long up = 0, down = 0;
        foreach (var (bcl, count) in countsByBcl)
        {
            var before = bcl >= current;
            var after = bcl >= proposed;
            if (!before && after)
            {
                up += count;
            }
            else if (before && !after)
            {
                down += count;
            }
        }

        return (up, down);
    }
}
