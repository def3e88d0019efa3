using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// What other spam filters write into a message, kept out of the features: a model that reads another filter's
/// verdict learns that filter, not spam (issue #9: 349 of the csdmc2010 spam carry a <c>[SPAM]</c> subject tag and
/// a Received hop added by the Barracuda that collected them).
/// </summary>
/// <remarks>
/// Filter verdict headers (X-Spam-*, X-Barracuda-*, X-ASG-*, X-Virus-*, X-Amavis*, X-BitDefender*...) never reach a
/// feature because <see cref="FeatureExtractor"/> reads only a fixed list of header names. What needs undoing is
/// what filters write into headers the model does read: the Subject (a tag in front) and Received (their own hops,
/// inside the receiving network).
/// </remarks>
public static partial class FilterTags
{
    /// <summary>
    /// The subject without the verdict tags spam filters put in front of it (<c>[SPAM]</c>, <c>***SPAM***</c>,
    /// <c>{Spam?}</c>, <c>[Possible Spam]</c>, <c>SPAM:</c>, <c>[SPAM 5.3]</c>...), case-insensitive, repeated tags
    /// included. Only those forms and only at the start: <c>[Spambayes] ...</c> or <c>Re: [SPAM] ...</c> stay.
    /// </summary>
    public static string StripSubjectTags(string subject)
    {
        if (subject.Length == 0)
        {
            return subject;
        }

        var match = LeadingTags().Match(subject);
        return match.Success && match.Length > 0 ? subject[match.Length..] : subject;
    }

    /// <summary>
    /// True when a Received header records a hop inside a private network: it names IP addresses and all of them
    /// are loopback, private or link-local. Those hops are the collector's own relays and filters (the gateway
    /// at the edge never sees them), so they say how a corpus was gathered, not what a message is.
    /// </summary>
    public static bool IsInternalHop(string received)
    {
        var any = false;
        foreach (Match m in Ipv4Literal().Matches(received))
        {
            if (!IPAddress.TryParse(m.Value, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
            {
                continue;
            }

            any = true;
            if (!IsPrivate(ip))
            {
                return false;
            }
        }

        return any;
    }

    private static bool IsPrivate(IPAddress ip)
    {
        Span<byte> b = stackalloc byte[4];
        ip.TryWriteBytes(b, out _);
        return b[0] == 10 || b[0] == 127
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
    }

    // A verdict word: spam with an optional qualifier, question mark or score ("Possible Spam", "SPAM?", "SPAM 5.3").
    private const string Verdict = @"(?:(?:possible|probable|suspected|likely|potential)[\s_-]*)?spam\??(?:\s*[:=]?\s*[-+]?\d{1,3}(?:[.,]\d{1,3})?)?";

    // One or more tags at the start, each [WORD], {WORD}, (WORD), **WORD** or WORD:, with the white space after it.
    [GeneratedRegex(
        @"^\s*(?:(?:\[\s*" + Verdict + @"\s*\]|\{\s*" + Verdict + @"\s*\}|\(\s*" + Verdict + @"\s*\)|\*{1,10}\s*" + Verdict
        + @"\s*\*{1,10}|" + Verdict + @"\s*:)\s*)+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingTags();

    [GeneratedRegex(@"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Literal();
}
