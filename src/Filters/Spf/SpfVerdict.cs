namespace MailGateway.Filters.Spf;

/// <summary>
/// What SPF concluded for one identity: the result, the identity checked (<c>mailfrom</c> or <c>helo</c>), its value
/// and domain, and why (the matching mechanism or the error) for the trace.
/// </summary>
public sealed record SpfVerdict(SpfResult Result, string Scope, string Identity, string Domain, string Reason)
{
    /// <summary>The result's name in Authentication-Results: pass, fail, softfail, neutral, none, temperror, permerror.</summary>
    public string ResultName => Result.ToString().ToLowerInvariant();
}
