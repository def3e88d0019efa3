namespace MailGateway.Filters.AllowList;

/// <summary>One entry of <c>allowlist.json</c>.</summary>
/// <param name="Verdict">The list the entry is on: <see cref="AllowListVerdict.Allowed"/> or <see cref="AllowListVerdict.Blocked"/>.</param>
/// <param name="Kind">What the entry compares.</param>
/// <param name="Text">The entry as written in the file, e.g. <c>*.example.com</c> or <c>198.51.100.0/24</c>.</param>
public sealed record AllowListRule(AllowListVerdict Verdict, AllowListRuleKind Kind, string Text)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Verdict == AllowListVerdict.Blocked ? "block" : "allow")} {Text}";
}
