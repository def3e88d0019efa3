using System.Globalization;
using System.Text.RegularExpressions;
using MailGateway.Filters.Chain;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The filter trace said in words for the console ("Model: SCL 7 (spam probability 93%); Keywords: bad phrase
/// "free money", SCL +3"), from the entries the chain recorded or from the compact <c>X-MailGateway-Trace</c> header.
/// </summary>
public static partial class TraceWords
{
    /// <summary>Reads the header form (<c>Model=p=0.934(2->7)[412us] Keywords=none[3us] note=…</c>); what does not parse is skipped.</summary>
    public static IReadOnlyList<TraceEntry> Parse(string header)
    {
        var entries = new List<TraceEntry>();
        foreach (var token in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = Entry().Match(token);
            if (!m.Success || m.Groups["filter"].Value == "note")
            {
                continue;
            }

            var before = m.Groups["before"].Success ? Scl(m.Groups["before"].Value) : null;
            var after = m.Groups["after"].Success ? Scl(m.Groups["after"].Value) : null;
            var unchanged = !m.Groups["before"].Success;
            entries.Add(new TraceEntry(m.Groups["filter"].Value, m.Groups["outcome"].Value, before, unchanged ? before : after,
                long.Parse(m.Groups["us"].Value, CultureInfo.InvariantCulture)));
        }

        return entries;
    }

    /// <summary>One sentence per filter, in the order they ran.</summary>
    public static IReadOnlyList<(string Filter, string Words)> Explain(IEnumerable<TraceEntry> entries) =>
        entries.Select(e => (e.Filter, Sentence(e))).ToList();

    /// <summary>Whether <paramref name="entry"/> is the Model filter's score (its outcome <c>p=…</c>), not a skip.</summary>
    public static bool IsModelScore(TraceEntry entry) =>
        entry.Filter == "Model" && entry.Outcome.StartsWith("p=", StringComparison.Ordinal);

    /// <summary>The whole trace on one line, as a list shows it.</summary>
    public static string Summary(IEnumerable<TraceEntry> entries) =>
        string.Join("; ", Explain(entries).Select(e => $"{e.Filter}: {e.Words}"));

    private static string Sentence(TraceEntry e)
    {
        var o = e.Outcome;
        var words = o switch
        {
            "none" => "none",
            "disabled" or "off" => "switched off",
            "skipped-trusted" => "not run: trusted sender",
            "skipped-mime-limits" => "not run: the message is over the MIME limits",
            "skipped-forced" => "not run: the SCL was already decided",
            "skipped-internal" => "not run: internal sender",
            "no-model" => "no model loaded",
            "error" => "failed with an error (see the log)",
            "clean" => "clean",
            "unscannable" => "could not be scanned",
            _ when o.StartsWith("infected", StringComparison.Ordinal) => "virus found" + Detail(o, "infected"),
            _ when o.StartsWith("failed-", StringComparison.Ordinal) => "scan failed: " + o["failed-".Length..].Replace('-', ' '),
            _ when o.StartsWith("p=", StringComparison.Ordinal) && double.TryParse(o[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) =>
                $"SCL {Format(e.SclAfter)} (spam probability {(p * 100).ToString("0", CultureInfo.InvariantCulture)}%)",
            _ when o.StartsWith("bad+", StringComparison.Ordinal) => $"bad phrase {Phrase(o)}, SCL +{o[4..].Split(':')[0]}",
            _ when o.StartsWith("bad:", StringComparison.Ordinal) => $"bad phrase {Phrase(o)}",
            _ when o.StartsWith("good:", StringComparison.Ordinal) => $"good phrase {Phrase(o)}",
            _ when o.StartsWith("allowed:", StringComparison.Ordinal) => $"allowed by a {o.Split(':')[1]} rule" + Detail(o, 2),
            _ when o.StartsWith("blocked:", StringComparison.Ordinal) => $"blocked by a {o.Split(':')[1]} rule",
            _ when o.StartsWith("bcl-", StringComparison.Ordinal) => $"bulk complaint level {o[4..].Split(':')[0]}" + Detail(o, 1),
            _ when o.StartsWith('+') => $"SCL {o} added by earlier stages" + (o.EndsWith("-ignored", StringComparison.Ordinal) ? " (ignored)" : ""),
            _ => o.Replace('-', ' ').Replace('_', ' '),
        };
        if (e.SclBefore != e.SclAfter && !o.StartsWith("p=", StringComparison.Ordinal))
        {
            words += $" (SCL {Format(e.SclBefore)} → {Format(e.SclAfter)})";
        }

        return words + $" [{Duration(e.ElapsedMicroseconds)}]";
    }

    private static string Phrase(string outcome) =>
        outcome.IndexOf(':') is var i and >= 0 ? $"\"{outcome[(i + 1)..].Trim('"').Replace('_', ' ')}\"" : "";

    private static string Detail(string outcome, int skipParts)
    {
        var parts = outcome.Split(':');
        return parts.Length > skipParts ? $" ({string.Join(':', parts[skipParts..]).Replace('_', ' ')})" : "";
    }

    private static string Detail(string outcome, string prefix) =>
        outcome.Length > prefix.Length ? $" ({outcome[prefix.Length..].Trim('-', ':').Replace('-', ' ')})" : "";

    private static string Duration(long us) =>
        us >= 1000 ? (us / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + " ms" : $"{us} µs";

    private static string Format(int? scl) => scl?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static int? Scl(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    [GeneratedRegex(@"^(?<filter>[A-Za-z][A-Za-z0-9]*)=(?<outcome>.*?)(?:\((?<before>-?\d+|none)->(?<after>-?\d+|none)\))?(?:\[(?<us>\d+)us\])$")]
    private static partial Regex Entry();
}
