namespace MailGateway.Filters.Keywords;

/// <summary>Which list a phrase comes from.</summary>
public enum KeywordKind
{
    /// <summary>A <c>good</c> phrase: the message gets SCL 0 and skips the rest of the spam filters.</summary>
    Good,

    /// <summary>A <c>bad</c> phrase: the message gets SCL 9, unless a good phrase matches too.</summary>
    Bad,
}
