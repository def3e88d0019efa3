using System.Globalization;

namespace MailGateway.Filters.Dmarc;

/// <summary>
/// The public suffix list (publicsuffix.org's format: rules, <c>*.</c> wildcards, <c>!</c> exceptions, comments) and
/// RFC 7489 3.2's organisational domain: the public suffix and one label more. Without the file only the implicit
/// rule <c>*</c> applies (every TLD is a suffix, so <c>mail.example.co.uk</c> has <c>co.uk</c> as its organisational
/// domain), which makes relaxed alignment looser under multi-label suffixes; the gateway logs that at start.
/// </summary>
public sealed class PublicSuffixList
{
    /// <summary>Where Debian's <c>publicsuffix</c> package puts it.</summary>
    public const string DebianPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private readonly HashSet<string> _rules;
    private readonly HashSet<string> _wildcards;
    private readonly HashSet<string> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions, string? path)
    {
        _rules = rules;
        _wildcards = wildcards;
        _exceptions = exceptions;
        Path = path;
    }

    /// <summary>The file read, or null when none was found (only the implicit <c>*</c> rule).</summary>
    public string? Path { get; }

    public int Count => _rules.Count + _wildcards.Count + _exceptions.Count;

    public static PublicSuffixList Empty { get; } = new([], [], [], null);

    /// <summary>Reads the file at <paramref name="path"/>; a missing file gives <see cref="Empty"/>.</summary>
    public static PublicSuffixList Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        var idn = new IdnMapping();
        HashSet<string> rules = new(StringComparer.OrdinalIgnoreCase), wildcards = new(StringComparer.OrdinalIgnoreCase),
            exceptions = new(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            line = line.Split(' ', '\t')[0];
            var set = rules;
            if (line.StartsWith('!'))
            {
                (set, line) = (exceptions, line[1..]);
            }
            else if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                (set, line) = (wildcards, line[2..]);
            }

            try
            {
                set.Add(idn.GetAscii(line).ToLowerInvariant());
            }
            catch (ArgumentException)
            {
                // A rule that is not a name (none in the real list) matches nothing.
            }
        }

        return new PublicSuffixList(rules, wildcards, exceptions, path);
    }

    /// <summary>The organisational domain of <paramref name="domain"/> (lower case, A-labels).</summary>
    public string OrganisationalDomain(string domain)
    {
        var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        var suffixLabels = SuffixLength(labels);
        return labels.Length <= suffixLabels ? string.Join('.', labels) : string.Join('.', labels[^(suffixLabels + 1)..]);
    }

    /// <summary>How many labels at the right of <paramref name="labels"/> are the public suffix (at least 1).</summary>
    private int SuffixLength(string[] labels)
    {
        var longest = 1;
        for (var n = labels.Length; n >= 1; n--)
        {
            var name = string.Join('.', labels[^n..]);
            if (_exceptions.Contains(name))
            {
                // An exception rule: the suffix is the rule minus its leftmost label; it wins over everything.
                return n - 1;
            }

            if (_rules.Contains(name))
            {
                longest = Math.Max(longest, n);
            }

            if (n < labels.Length && _wildcards.Contains(name))
            {
                longest = Math.Max(longest, n + 1);
            }
        }

        return longest;
    }
}
