namespace MailGateway.Filters.Keywords;

/// <summary>Where a phrase was found, for the trace and the log.</summary>
public enum KeywordMatchPart
{
    /// <summary>A text given on its own (<see cref="KeywordMatcher.FindFirst"/>, <see cref="KeywordMatcher.FindAll"/>).</summary>
    Text,

    /// <summary>The message's Subject.</summary>
    Subject,

    /// <summary>The message's decoded body text.</summary>
    Body,
}
