namespace MailGateway.Gateway.Smtp;

/// <summary>
/// Splits the argument of MAIL FROM / RCPT TO into the path between the angle brackets and its ESMTP parameters
/// (<c>KEY[=VALUE]</c>, separated by spaces).
/// </summary>
public static class MailParameters
{
    /// <summary>
    /// <paramref name="argument"/> is what follows the verb, e.g. <c>FROM:&lt;a@b&gt; SIZE=10</c>;
    /// <paramref name="keyword"/> is <c>FROM</c> or <c>TO</c>.
    /// </summary>
    public static bool TrySplit(string argument, string keyword, out string path,
        out IReadOnlyDictionary<string, string?> parameters, out string error)
    {
        path = "";
        parameters = new Dictionary<string, string?>();
        error = "";
        var prefix = keyword + ":";
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"expected {keyword}:<address>";
            return false;
        }

        var rest = argument[prefix.Length..].TrimStart(' ');
        if (!rest.StartsWith('<'))
        {
            error = "address must be enclosed in <>";
            return false;
        }

        var close = FindClosingBracket(rest);
        if (close < 0)
        {
            error = "missing '>'";
            return false;
        }

        path = rest[1..close];
        var tail = rest[(close + 1)..];
        if (tail.Length > 0 && tail[0] != ' ')
        {
            error = "text after '>' must be parameters separated by spaces";
            return false;
        }

        var dict = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var token in tail.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.IndexOf('=');
            var key = eq < 0 ? token : token[..eq];
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || dict.ContainsKey(key))
            {
                error = $"malformed parameter '{token}'";
                return false;
            }

            dict[key] = eq < 0 ? null : token[(eq + 1)..];
        }

        parameters = dict;
        return true;
    }

    // The closing '>' outside any quoted string, so "a>b"@example.org is one path.
    private static int FindClosingBracket(string s)
    {
        var quoted = false;
        for (var i = 1; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '>' when !quoted:
                    return i;
            }
        }

        return -1;
    }
}
