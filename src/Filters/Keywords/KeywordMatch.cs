namespace MailGateway.Filters.Keywords;

/// <summary>One occurrence of a listed phrase.</summary>
/// <param name="Kind">The list the phrase is on.</param>
/// <param name="Phrase">The phrase as written in the file, for the log and the trace.</param>
/// <param name="Part">The text it was found in.</param>
/// <param name="Index">Index of the first character of the occurrence in that text.</param>
/// <param name="Length">Length of the occurrence in that text (may differ from the phrase's: whitespace runs, ignored characters).</param>
public sealed record KeywordMatch(KeywordKind Kind, string Phrase, KeywordMatchPart Part, int Index, int Length)
{
    /// <summary>The SCL a good phrase forces.</summary>
    public const int GoodScl = 0;

    /// <summary>The SCL a bad phrase forces.</summary>
    public const int BadScl = 9;

    /// <summary>The SCL this match forces: <see cref="GoodScl"/> or <see cref="BadScl"/>.</summary>
    public int Scl => Kind == KeywordKind.Good ? GoodScl : BadScl;
}
