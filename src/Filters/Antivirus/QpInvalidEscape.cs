namespace MailGateway.Filters.Antivirus;

/// <summary>What a client does with an '=' that starts neither an escape nor a soft line break.</summary>
public enum QpInvalidEscape
{
    /// <summary>Drops the '=' and a single hex digit after it ("=4" vanishes, "=0X" leaves "X").</summary>
    DropWithOneHexDigit,

    /// <summary>Drops everything up to the next '=' or line end ("=0X=41" gives "A").</summary>
    DropToNextEscape,
}
