namespace MailGateway.Gateway.Cleanup;

/// <summary>
/// Which incoming header fields the cleanup stage removes: the configured names and patterns, and
/// <c>Authentication-Results</c> fields whose authserv-id is this gateway's host name (only we may write those).
/// </summary>
public sealed class HeaderFieldRules
{
    private const string AuthenticationResults = "Authentication-Results";

    private readonly string[] _exact;
    private readonly string[] _prefixes;

    public HeaderFieldRules(IEnumerable<string> removed, string hostName)
    {
        var patterns = removed.ToList();
        _exact = patterns.Where(p => !p.EndsWith('*')).ToArray();
        _prefixes = patterns.Where(p => p.EndsWith('*')).Select(p => p[..^1]).ToArray();
        HostName = hostName;
    }

    public string HostName { get; }

    /// <summary>RFC 5322 ftext: printable ASCII except ':'.</summary>
    public static bool IsFieldNameChar(char c) => c is > ' ' and < (char)127 and not ':';

    public HeaderFieldAction ActionFor(ReadOnlySpan<char> name)
    {
        foreach (var exact in _exact)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return HeaderFieldAction.Remove;
            }
        }

        foreach (var prefix in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return HeaderFieldAction.Remove;
            }
        }

        return name.Equals(AuthenticationResults, StringComparison.OrdinalIgnoreCase)
            ? HeaderFieldAction.RemoveIfOurs
            : HeaderFieldAction.Keep;
    }

    /// <summary>
    /// True when an Authentication-Results value (everything after the colon, folding included) names this host as
    /// its authserv-id (RFC 8601 2.2: the first token, after optional comments and white space).
    /// </summary>
    public bool NamesThisHost(ReadOnlySpan<byte> value)
    {
        var i = 0;
        var depth = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (depth > 0)
            {
                depth += b == '(' ? 1 : b == ')' ? -1 : 0;
                i += b == '\\' ? 2 : 1;
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }
            else if (b == '(')
            {
                depth = 1;
                i++;
            }
            else
            {
                break;
            }
        }

        var start = i;
        while (i < value.Length && value[i] is not ((byte)';' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'('))
        {
            i++;
        }

        var id = System.Text.Encoding.ASCII.GetString(value[start..i]).Trim('"');
        return id.Length > 0 && id.Equals(HostName, StringComparison.OrdinalIgnoreCase);
    }
}
