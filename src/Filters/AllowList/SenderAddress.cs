namespace MailGateway.Filters.AllowList;

/// <summary>
/// A sender address as the lists compare it: lower case (local parts are case-insensitive in practice), without angle
/// brackets or a display name, its domain without a trailing dot. The null sender is <c>&lt;&gt;</c> with no domain.
/// </summary>
internal readonly record struct SenderAddress(string Address, string? Domain)
{
    /// <summary>The envelope sender; null, empty and <c>&lt;&gt;</c> are the null sender.</summary>
    public static SenderAddress FromEnvelope(string? reversePath)
    {
        var address = Unwrap(reversePath);
        return address.Length == 0 ? new SenderAddress(AllowListRuleSet.NullSender, null) : Parse(address);
    }

    /// <summary>The From header's address (a bare address or <c>Name &lt;address&gt;</c>); null when there is none.</summary>
    public static SenderAddress? FromHeader(string? from)
    {
        var address = Unwrap(from);
        return address.Length == 0 ? null : Parse(address);
    }

    /// <summary>Normalises an address without brackets.</summary>
    public static SenderAddress Parse(string address)
    {
        var lowered = address.Trim().ToLowerInvariant();
        var at = lowered.LastIndexOf('@');
        if (at < 0 || at == lowered.Length - 1)
        {
            return new SenderAddress(lowered, null);
        }

        var domain = lowered[(at + 1)..].TrimEnd('.');
        return new SenderAddress(lowered[..(at + 1)] + domain, domain);
    }

    private static string Unwrap(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var text = value.AsSpan().Trim();
        var open = text.LastIndexOf('<');
        if (open >= 0)
        {
            var close = text[open..].IndexOf('>');
            text = close < 0 ? text[(open + 1)..] : text.Slice(open + 1, close - 1);
        }

        return text.Trim().ToString();
    }
}
