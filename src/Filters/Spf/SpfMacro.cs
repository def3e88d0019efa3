using System.Net;
using System.Text;

namespace MailGateway.Filters.Spf;

/// <summary>
/// Expands an RFC 7208 section 7 macro string (<c>%{ir}.%{v}._spf.%{d}</c>). A malformed macro is a permerror.
/// <c>%{p}</c> expands to <c>unknown</c>, as the RFC allows: its PTR lookups would cost DNS queries for a name
/// nobody should trust. The explanation-only letters (c, r, t) are refused outside <c>exp=</c>, which is not evaluated.
/// </summary>
public static class SpfMacro
{
    public static string Expand(string text, SpfMacroValues values)
    {
        if (!text.Contains('%'))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 32);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                result.Append(c);
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw Bad(text);
            }

            var next = text[++i];
            switch (next)
            {
                case '%':
                    result.Append('%');
                    continue;
                case '_':
                    result.Append(' ');
                    continue;
                case '-':
                    result.Append("%20");
                    continue;
                case '{':
                    break;
                default:
                    throw Bad(text);
            }

            var end = text.IndexOf('}', i);
            if (end < 0 || end == i + 1)
            {
                throw Bad(text);
            }

            result.Append(ExpandOne(text.AsSpan(i + 1, end - i - 1), values, text));
            i = end;
        }

        return result.ToString();
    }

    private static string ExpandOne(ReadOnlySpan<char> macro, SpfMacroValues values, string text)
    {
        var letter = macro[0];
        var value = char.ToLowerInvariant(letter) switch
        {
            's' => values.Sender,
            'l' => values.LocalPart,
            'o' => values.SenderDomain,
            'd' => values.Domain,
            'i' => ClientAddress(values.Client),
            'p' => "unknown",
            'v' => values.Client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
            'h' => values.Helo,
            _ => throw Bad(text),
        };

        var rest = macro[1..];
        var digits = 0;
        var count = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            count = count * 10 + (rest[digits] - '0');
            if (count > 128)
            {
                count = 128;
            }

            digits++;
        }

        if (digits > 0 && count == 0)
        {
            throw Bad(text);
        }

        rest = rest[digits..];
        var reverse = rest.Length > 0 && (rest[0] is 'r' or 'R');
        if (reverse)
        {
            rest = rest[1..];
        }

        foreach (var d in rest)
        {
            if (d is not ('.' or '-' or '+' or ',' or '/' or '_' or '='))
            {
                throw Bad(text);
            }
        }

        var delimiters = rest.Length == 0 ? ['.'] : rest.ToArray();
        if (digits > 0 || reverse || rest.Length > 0)
        {
            var parts = value.Split(delimiters);
            if (reverse)
            {
                Array.Reverse(parts);
            }

            if (digits > 0 && count < parts.Length)
            {
                parts = parts[^count..];
            }

            value = string.Join('.', parts);
        }

        return char.IsUpper(letter) ? Uri.EscapeDataString(value) : value;
    }

    private static string ClientAddress(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        // RFC 7208 7.3: an IPv6 address as dot-separated nibbles.
        var bytes = address.GetAddressBytes();
        var nibbles = new StringBuilder(63);
        foreach (var b in bytes)
        {
            if (nibbles.Length > 0)
            {
                nibbles.Append('.');
            }

            nibbles.Append("0123456789abcdef"[b >> 4]).Append('.').Append("0123456789abcdef"[b & 0xF]);
        }

        return nibbles.ToString();
    }

    private static SpfException Bad(string text) => new(SpfResult.PermError, $"bad macro in '{text}'");
}

/// <summary>What the macros of one check_host call expand to.</summary>
public sealed record SpfMacroValues(IPAddress Client, string Sender, string LocalPart, string SenderDomain, string Domain,
    string Helo);
