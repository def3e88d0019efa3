using System.Globalization;
using System.Text;
using MailGateway.Gateway.Configuration;

namespace MailGateway.Gateway.Messages;

/// <summary>
/// A reverse- or forward-path from MAIL FROM / RCPT TO (RFC 5321 4.1.2), parsed strictly enough that it can be
/// used as a folder name and can never make the gateway relay: a source route is parsed and ignored (RFC 5321
/// C), and what is left is one mailbox whose domain decides where the message goes. The parsed path is in its one
/// canonical form, which every comparison, folder name and route uses: the domain IDNA-mapped (so
/// <c>example。org</c> is <c>example.org</c>) and lower-cased, a quoted local part that needs no quotes unquoted
/// (<c>"bob"</c> is <c>bob</c>), any other quoted local part with the fewest escapes.
/// </summary>
public sealed record MailPath(string LocalPart, string Domain, bool IsQuoted, bool HadSourceRoute)
{
    /// <summary>RFC 5321 4.5.3.1.1: a local part holds at most 64 octets.</summary>
    public const int MaxLocalPartOctets = 64;

    /// <summary>RFC 5321 4.5.3.1.3: a path holds at most 256 octets with its angle brackets.</summary>
    public const int MaxAddressOctets = 254;

    private static readonly IdnMapping Idn = new();

    /// <summary>The address as stored and compared: canonical local part, canonical domain.</summary>
    public string Address => $"{LocalPart}@{Domain}";

    /// <summary>The folder name of this mailbox: the whole address lower-cased.</summary>
    public string MailboxKey => Address.ToLowerInvariant();

    /// <summary>The domain in ASCII (A-labels), for comparing with accepted domains; IP literals unchanged.</summary>
    public string AsciiDomain
    {
        get
        {
            if (Domain.StartsWith('['))
            {
                return Domain;
            }

            try
            {
                return Idn.GetAscii(Domain).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return Domain;
            }
        }
    }

    /// <summary>True when the local part is longer than RFC 5321 allows (64 octets of UTF-8).</summary>
    public bool LocalPartTooLong => Encoding.UTF8.GetByteCount(LocalPart) > MaxLocalPartOctets;

    /// <summary>True when the whole address is longer than an RFC 5321 path can carry.</summary>
    public bool AddressTooLong => Encoding.UTF8.GetByteCount(Address) > MaxAddressOctets;

    public bool IsAddressLiteral => Domain.StartsWith('[');

    /// <summary>
    /// Local-part characters that some mail systems still treat as routing (the percent hack, UUCP bang paths,
    /// an '@' inside quotes). Accepting them from an untrusted client could make the next hop relay.
    /// </summary>
    public bool HasRoutingCharacters => LocalPart.IndexOfAny(['%', '!', '@']) >= 0;

    /// <summary>True when the path as the client wrote it was all ASCII (else it needs SMTPUTF8, RFC 6531).</summary>
    public bool IsAscii { get; private init; } = true;

    /// <summary>
    /// Parses the text between the angle brackets. Returns null and the reason when it is not a mailbox.
    /// <paramref name="allowBarePostmaster"/> lets RCPT TO:&lt;Postmaster&gt; through (RFC 5321 4.5.1).
    /// </summary>
    public static MailPath? TryParse(string path, string postmasterDomain, bool allowBarePostmaster, out string error)
    {
        error = "";
        var routed = false;
        if (path.StartsWith('@'))
        {
            // A-d-l ":" Mailbox: the route is syntax only; RFC 5321 says to ignore it.
            var colon = path.IndexOf(':');
            if (colon < 0)
            {
                error = "source route without ':'";
                return null;
            }

            foreach (var hop in path[..colon].Split(','))
            {
                if (hop.Length < 2 || hop[0] != '@' || !DomainName.IsValid(hop[1..]))
                {
                    error = "malformed source route";
                    return null;
                }
            }

            routed = true;
            path = path[(colon + 1)..];
        }

        if (allowBarePostmaster && path.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            return new MailPath("postmaster", postmasterDomain, false, routed);
        }

        string local;
        bool quoted;
        int at;
        if (path.StartsWith('"'))
        {
            var end = FindClosingQuote(path);
            if (end < 0)
            {
                error = "unterminated quoted local part";
                return null;
            }

            local = path[..(end + 1)];
            quoted = true;
            at = end + 1;
            if (at >= path.Length || path[at] != '@')
            {
                error = "missing '@' after quoted local part";
                return null;
            }
        }
        else
        {
            at = path.LastIndexOf('@');
            if (at <= 0)
            {
                error = at == 0 ? "empty local part" : "missing domain";
                return null;
            }

            local = path[..at];
            quoted = false;
            if (!IsDotString(local))
            {
                error = "invalid local part";
                return null;
            }
        }

        // The address becomes a folder name: no path separator may reach it, escaped or not (found by fuzzing).
        if (local.IndexOfAny(['/', '\0']) >= 0 || local.Any(char.IsControl))
        {
            error = "local part with '/' or control characters";
            return null;
        }

        if (local.Length > 64 * 4)
        {
            error = "local part too long";
            return null;
        }

        var domain = path[(at + 1)..];
        if (!IsDomainOrLiteral(domain))
        {
            error = "invalid domain";
            return null;
        }

        var ascii = Ascii.IsValid(local) && Ascii.IsValid(domain);
        if (quoted)
        {
            (local, quoted) = CanonicalLocalPart(local);
        }

        return new MailPath(local, DomainName.Normalize(domain), quoted, routed) { IsAscii = ascii };
    }

    /// <summary>
    /// The canonical form of a quoted local part: its content unescaped and, when that content is a dot-string,
    /// without quotes; otherwise quoted again with only the escapes RFC 5321 needs ('\' and '"').
    /// </summary>
    private static (string Local, bool Quoted) CanonicalLocalPart(string quotedLocal)
    {
        var content = new StringBuilder(quotedLocal.Length);
        for (var i = 1; i < quotedLocal.Length - 1; i++)
        {
            var c = quotedLocal[i];
            if (c == '\\' && i + 1 < quotedLocal.Length - 1)
            {
                i++;
                c = quotedLocal[i];
            }

            content.Append(c);
        }

        var text = content.ToString();
        if (IsDotString(text))
        {
            return (text, false);
        }

        return ("\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"", true);
    }

    private static int FindClosingQuote(string s)
    {
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (i + 1 >= s.Length || char.IsControl(s[i + 1]))
                {
                    return -1;
                }

                i++;
            }
            else if (c == '"')
            {
                return i;
            }
            else if (char.IsControl(c) || c == '/')
            {
                return -1;
            }
        }

        return -1;
    }

    // Dot-string of atext (RFC 5322) or UTF-8 (RFC 6531); '/' is excluded because the address becomes a folder name.
    private static bool IsDotString(string s)
    {
        if (s.Length == 0 || s[0] == '.' || s[^1] == '.' || s.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in s)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c > 127 && !char.IsControl(c) && !char.IsWhiteSpace(c)
                     || "!#$%&'*+-=?^_`{|}~.".Contains(c);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDomainOrLiteral(string domain)
    {
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var inner = domain[1..^1];
            // Only hex digits, dots and colons: no IPv6 scope ids or other bytes IPAddress.TryParse would accept.
            var digits = inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? inner[5..] : inner;
            if (digits.Length == 0 || !digits.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':'))
            {
                return false;
            }

            if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                return System.Net.IPAddress.TryParse(inner[5..], out var v6)
                       && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            }

            return System.Net.IPAddress.TryParse(inner, out var v4)
                   && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                   && inner.Count(c => c == '.') == 3;
        }

        return DomainName.IsValid(domain) && !domain.Contains('/') && !domain.Contains('\\');
    }

    public override string ToString() => Address;
}
