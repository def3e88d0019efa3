using System.Globalization;

namespace MailGateway.Filters.Dmarc;

/// <summary>
/// A DMARC record (RFC 7489 6.3): <c>p=</c>, <c>sp=</c>, <c>pct=</c>, <c>adkim=</c>, <c>aspf=</c>. <c>v=DMARC1</c> must come
/// first; a record without a valid <c>p=</c> (and without a <c>rua=</c>, which makes it p=none) is malformed (permerror, nothing enforced). An unknown tag is ignored,
/// a bad pct= counts as 100, a bad adkim=/aspf= as relaxed, a bad sp= as p=.
/// </summary>
public sealed record DmarcRecord(string Policy, string SubdomainPolicy, int Percent, bool StrictDkim, bool StrictSpf)
{
    private static readonly string[] Policies = ["none", "quarantine", "reject"];

    public static bool IsDmarcRecord(string txt) =>
        txt.TrimStart().StartsWith("v=DMARC1", StringComparison.Ordinal)
        && (txt.TrimStart().Length == 8 || txt.TrimStart()[8] is ';' or ' ' or '\t');

    /// <summary>The record, or null with the reason when it is malformed.</summary>
    public static DmarcRecord? Parse(string text, out string error)
    {
        error = "";
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';'))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                if (part.Trim().Length > 0)
                {
                    error = $"bad tag '{part.Trim()}'";
                    return null;
                }

                continue;
            }

            tags.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim());
        }

        var p = tags.GetValueOrDefault("p", "").ToLowerInvariant();
        if (!Policies.Contains(p) && tags.GetValueOrDefault("rua", "").StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 7489 6.6.3: a record with a report address but no valid p= is read as p=none.
            p = "none";
        }

        if (!Policies.Contains(p))
        {
            error = tags.ContainsKey("p") ? $"bad p={tags["p"]}" : "no p=";
            return null;
        }

        var sp = tags.GetValueOrDefault("sp", "").ToLowerInvariant();
        var pct = int.TryParse(tags.GetValueOrDefault("pct"), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                  && n is >= 0 and <= 100 ? n : 100;
        return new DmarcRecord(p, Policies.Contains(sp) ? sp : p, pct,
            tags.GetValueOrDefault("adkim", "r").Equals("s", StringComparison.OrdinalIgnoreCase),
            tags.GetValueOrDefault("aspf", "r").Equals("s", StringComparison.OrdinalIgnoreCase));
    }
}
