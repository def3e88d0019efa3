using System.Text;
using System.Text.RegularExpressions;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Normalises X-Mailer / User-Agent values: the first word (also used for Precedence and X-Priority values), and the
/// product name (the words before the version), so <c>microsoft-cdo-for-windows</c> is not
/// <c>microsoft-outlook-express</c>.
/// </summary>
internal static partial class MailerName
{
    /// <summary>The first run of ASCII letters, digits, '-' and '_', lower-cased, at most 30 characters.</summary>
    public static string FirstWord(string value)
    {
        var sb = new StringBuilder();
        foreach (var c in value.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                sb.Append(char.ToLowerInvariant(c));
                if (sb.Length >= 30)
                {
                    break;
                }
            }
            else if (sb.Length > 0)
            {
                break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Words of <paramref name="value"/> up to the first with a digit (a version), at most four, joined by '-'.</summary>
    public static string Product(string value)
    {
        var sb = new StringBuilder();
        var words = 0;
        foreach (var word in ProductWord().EnumerateMatches(value))
        {
            var w = value.AsSpan(word.Index, word.Length);
            if (w.IndexOfAnyInRange('0', '9') >= 0 || words == 4 || sb.Length + w.Length > 60)
            {
                break;
            }

            if (words++ > 0)
            {
                sb.Append('-');
            }

            foreach (var c in w)
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"[A-Za-z0-9]+")]
    private static partial Regex ProductWord();
}
