using System.Net;
using System.Net.Sockets;

namespace MailGateway.Filters.Spf;

/// <summary>
/// An SPF record parsed whole before anything is evaluated (RFC 7208 4.6: a syntax error anywhere is a permerror):
/// its directives in order and its redirect= modifier. Unknown modifiers are skipped; an unknown mechanism, a
/// repeated redirect= or exp=, or a bad address or CIDR length is a permerror.
/// </summary>
public sealed record SpfRecord(IReadOnlyList<SpfDirective> Directives, string? Redirect)
{
    private static readonly SpfMacroValues SyntaxCheck = new(System.Net.IPAddress.Loopback, "a@b.c", "a", "b.c", "b.c", "b.c");

    public static SpfRecord Parse(string text, string domain)
    {
        var directives = new List<SpfDirective>();
        string? redirect = null;
        var exp = false;
        foreach (var term in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var equals = term.IndexOf('=');
            var colon = term.IndexOfAny([':', '/']);
            if (equals > 0 && (colon < 0 || equals < colon))
            {
                var name = term[..equals];
                if (!char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    throw Bad(term, domain);
                }

                if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase))
                {
                    redirect = redirect is null && equals + 1 < term.Length
                        ? Spec(term[(equals + 1)..], term, domain)
                        : throw Bad(term, domain);
                }
                else if (name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    exp = !exp ? true : throw Bad(term, domain);
                }

                continue;
            }

            directives.Add(ParseDirective(term, domain));
        }

        // RFC 7208 6.1: redirect is ignored when the record has an all mechanism.
        return new SpfRecord(directives, directives.Any(d => d.Mechanism == "all") ? null : redirect);
    }

    private static SpfDirective ParseDirective(string term, string domain)
    {
        var qualifier = term[0] switch
        {
            '+' => SpfResult.Pass,
            '-' => SpfResult.Fail,
            '~' => SpfResult.SoftFail,
            '?' => SpfResult.Neutral,
            _ => (SpfResult?)null,
        };
        var body = qualifier is null ? term : term[1..];
        var end = body.IndexOfAny([':', '/']);
        var name = (end < 0 ? body : body[..end]).ToLowerInvariant();
        var rest = end < 0 ? "" : body[end..];
        var q = qualifier ?? SpfResult.Pass;
        switch (name)
        {
            case "all":
                return rest.Length == 0 ? new SpfDirective(q, name, null, null, 0, 0, term) : throw Bad(term, domain);
            case "include":
            case "exists":
                return rest.Length > 1 && rest[0] == ':'
                    ? new SpfDirective(q, name, Spec(rest[1..], term, domain), null, 0, 0, term)
                    : throw Bad(term, domain);
            case "ptr":
                if (rest.Length == 0)
                {
                    return new SpfDirective(q, name, null, null, 0, 0, term);
                }

                return rest[0] == ':' && rest.Length > 1
                    ? new SpfDirective(q, name, Spec(rest[1..], term, domain), null, 0, 0, term)
                    : throw Bad(term, domain);
            case "a":
            case "mx":
                {
                    string? spec = null;
                    var cidr = rest;
                    if (rest.StartsWith(':'))
                    {
                        var slash = rest.IndexOf('/');
                        spec = Spec(slash < 0 ? rest[1..] : rest[1..slash], term, domain);
                        cidr = slash < 0 ? "" : rest[slash..];
                    }

                    var (p4, p6) = DualCidr(cidr, term);
                    return new SpfDirective(q, name, spec, null, p4, p6, term);
                }
            case "ip4":
            case "ip6":
                {
                    if (!rest.StartsWith(':'))
                    {
                        throw Bad(term, domain);
                    }

                    var slash = rest.IndexOf('/');
                    var address = slash < 0 ? rest[1..] : rest[1..slash];
                    var family = name == "ip4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                    if (!IPAddress.TryParse(address, out var network) || network.AddressFamily != family
                        || (family == AddressFamily.InterNetwork && address.Count(c => c == '.') != 3))
                    {
                        throw Bad(term, domain);
                    }

                    var max = family == AddressFamily.InterNetwork ? 32 : 128;
                    var prefix = slash < 0 ? max : SpfEvaluator.ParsePrefix(rest[(slash + 1)..], max, term);
                    return new SpfDirective(q, name, null, network, prefix, prefix, term);
                }
            default:
                throw new SpfException(SpfResult.PermError, $"{domain}: unknown mechanism '{term}'");
        }
    }

    private static (int, int) DualCidr(string cidr, string term)
    {
        if (cidr.Length == 0)
        {
            return (32, 128);
        }

        if (cidr.StartsWith("//"))
        {
            return (32, SpfEvaluator.ParsePrefix(cidr[2..], 128, term));
        }

        var parts = cidr[1..].Split("//");
        return parts.Length switch
        {
            1 => (SpfEvaluator.ParsePrefix(parts[0], 32, term), 128),
            2 => (SpfEvaluator.ParsePrefix(parts[0], 32, term), SpfEvaluator.ParsePrefix(parts[1], 128, term)),
            _ => throw new SpfException(SpfResult.PermError, $"bad CIDR length in '{term}'"),
        };
    }

    private static string Spec(string spec, string term, string domain)
    {
        // A domain-spec needs a dot-separated name or a macro (RFC 7208 7.1's toplabel rule, loosely).
        if (spec.Length == 0 || spec.Any(char.IsWhiteSpace))
        {
            throw Bad(term, domain);
        }

        // Macro syntax is record syntax: a bad macro anywhere is a permerror before anything is evaluated.
        SpfMacro.Expand(spec, SyntaxCheck);
        return spec;
    }

    private static SpfException Bad(string term, string domain) => new(SpfResult.PermError, $"{domain}: bad term '{term}'");
}
