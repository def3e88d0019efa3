namespace MailGateway.Filters.Antivirus;

/// <summary>What a client does with an '=' that starts neither an escape nor a soft line break.</summary>
public enum QpInvalidEscape
{
    /// <summary>Drops the '=' and a single hex digit after it ("=4" vanishes, "=0X" leaves "X").</summary>
    DropWithOneHexDigit,

    /// <summary>Drops everything up to the next '=' or line end ("=0X=41" gives "A").</summary>
    DropToNextEscape,

    /// <summary>
    /// '=' followed by a character that can start neither an escape nor a soft break ("=a" with upper-case-only hex)
    /// is removed as a pair before decoding, the way a regex-based decoder does: "==a09" gives a tab.
    /// </summary>
    RemovedFirst,
}
