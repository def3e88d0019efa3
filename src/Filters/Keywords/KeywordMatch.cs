namespace MailGateway.Filters.Keywords;

/// <summary>One occurrence of a listed phrase.</summary>
/// <param name="Kind">The list the phrase is on.</param>
/// <param name="Phrase">The phrase as written in the file, for the log and the trace.</param>
/// <param name="Part">The text it was found in.</param>
/// <param name="Index">Index of the first character of the occurrence in that text.</param>
/// <param name="Length">Length of the occurrence in that text (may differ from the phrase's: whitespace runs, ignored characters).</param>
/// <param name="SclAdd">For a bad phrase: what it adds to the SCL, or 0 when it forces <see cref="BadScl"/>.</param>
public sealed record KeywordMatch(KeywordKind Kind, string Phrase, KeywordMatchPart Part, int Index, int Length, int SclAdd = 0)
{
    /// <summary>The SCL a good phrase forces.</summary>
    public const int GoodScl = 0;

    /// <summary>The SCL a bad phrase forces.</summary>
    public const int BadScl = 9;

    /// <summary>The SCL this match forces: <see cref="GoodScl"/> or <see cref="BadScl"/> (see <see cref="IsAdditive"/>).</summary>
    public int Scl => Kind == KeywordKind.Good ? GoodScl : BadScl;

    /// <summary>A bad phrase that adds <see cref="SclAdd"/> to the SCL the other filters give, instead of forcing 9.</summary>
    public bool IsAdditive => Kind == KeywordKind.Bad && SclAdd > 0;

    /// <summary>Between two bad matches: one that forces 9 beats an additive one, a larger addition a smaller one.</summary>
    internal bool IsStrongerBadThan(KeywordMatch other) =>
        other.IsAdditive && (!IsAdditive || SclAdd > other.SclAdd);
}
