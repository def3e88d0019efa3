namespace MailGateway.Filters.Spf;

/// <summary>The results of RFC 7208 section 2.6, as written in Authentication-Results (lower case).</summary>
public enum SpfResult
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
