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
        var name = domain.TrimEnd('.').ToLowerInvariant();
        Span<int> buffer = stackalloc int[64];
        var starts = LabelStarts(name, buffer);
        if (starts.IsEmpty)
        {
            return name; // more labels than a name can have (127): nothing to look up
        }

        var suffixLabels = SuffixLength(name, starts);
        return starts.Length <= suffixLabels ? name : name[starts[^(suffixLabels + 1)]..];
    }

    /// <summary>Where each label of <paramref name="name"/> starts, left to right; empty when they do not fit.</summary>
    private static ReadOnlySpan<int> LabelStarts(string name, Span<int> buffer)
    {
        var count = name.AsSpan().Count('.') + 1;
        if (count > buffer.Length)
        {
            return count > 127 ? [] : LabelStarts(name, new int[count]);
        }

        buffer[0] = 0;
        for (int i = 0, n = 1; i < name.Length; i++)
        {
            if (name[i] == '.')
            {
                buffer[n++] = i + 1;
            }
        }

        return buffer[..count];
    }

    /// <summary>
    /// How many labels at the right of <paramref name="name"/> are the public suffix (at least 1); the rules are looked
    /// up with the name's tails as spans, so no label list or joined name is allocated.
    /// </summary>
    private int SuffixLength(string name, ReadOnlySpan<int> starts)
    {
        var longest = 1;
        for (var n = starts.Length; n >= 1; n--)
        {
            var tail = name.AsSpan(starts[^n]);
            if (_exceptions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(tail))
            {
                // An exception rule: the suffix is the rule minus its leftmost label; it wins over everything.
                return n - 1;
            }

            if (_rules.GetAlternateLookup<ReadOnlySpan<char>>().Contains(tail))
            {
                longest = Math.Max(longest, n);
            }

            if (n < starts.Length && _wildcards.GetAlternateLookup<ReadOnlySpan<char>>().Contains(tail))
            {
                longest = Math.Max(longest, n + 1);
            }
        }

        return longest;
    }
}
