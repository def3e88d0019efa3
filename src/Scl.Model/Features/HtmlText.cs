using System.Net;
using System.Text;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Turns HTML into visible text and collects its links and images in one forward scan, without building a DOM:
/// the model needs the words, the hrefs and the image sources, not the tree, and a DOM of a 256 KB part cost more than
/// everything else the scorer does. Never recurses, so crafted nesting cannot overflow the stack.
/// </summary>
internal static class HtmlText
{
    // Elements whose content is not shown: skipped up to their end tag.
    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "head", "title", "noscript", "template",
    };

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "tr", "td", "th", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr",
    };

    /// <summary>What one HTML part contributes.</summary>
    internal sealed record Result(string Text, IReadOnlyList<string> Hrefs, int RemoteImages, int InlineImages);

    /// <summary>Visible text up to <paramref name="maxChars"/>; hrefs and image sources from the whole document.</summary>
    public static Result Convert(string html, int maxChars)
    {
        var text = new StringBuilder(Math.Min(html.Length, maxChars));
        var hrefs = new List<string>();
        int remote = 0, inline = 0;
        var endTags = new EndTagSearch();
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var textEnd = lt < 0 ? html.Length : lt;
            if (textEnd > i && text.Length < maxChars)
            {
                AppendText(text, html.AsSpan(i, textEnd - i), maxChars);
            }

            if (lt < 0)
            {
                break;
            }

            i = lt + 1;
            if (i >= html.Length)
            {
                break;
            }

            var c = html[i];
            if (c == '!' || c == '?')
            {
                // Comment, doctype, CDATA or processing instruction.
                var end = html.AsSpan(i).StartsWith("!--") ? IndexOf(html, "-->", i + 3, 3) : IndexAfter(html, '>', i);
                i = end;
                continue;
            }

            var closing = c == '/';
            var nameStart = closing ? i + 1 : i;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is ':' or '-'))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                // Not a tag ("a < b"): the '<' is text.
                if (text.Length < maxChars && !closing)
                {
                    AppendText(text, "<", maxChars);
                }

                continue;
            }

            var name = html.AsSpan(nameStart, nameEnd - nameStart);
            var tagEnd = ReadAttributes(html, nameEnd, closing ? null : name, hrefs, ref remote, ref inline);
            if (BlockElements.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name) && text.Length > 0 && text[^1] != ' ' && text.Length < maxChars)
            {
                text.Append(' ');
            }

            i = tagEnd;
            if (!closing && Invisible.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var invisible))
            {
                // Skip to the end tag; without one, only the start tag goes (a stray <head> must not hide the body).
                var close = endTags.IndexOf(html, invisible, i);
                if (close >= 0)
                {
                    i = IndexAfter(html, '>', close);
                }
            }
        }

        return new Result(text.ToString().Trim(), hrefs, remote, inline);
    }

    /// <summary>Appends <paramref name="value"/> with runs of white space collapsed to one space.</summary>
    internal static void AppendCollapsed(StringBuilder target, ReadOnlySpan<char> value, int maxChars)
    {
        var lastWasSpace = target.Length == 0 || target[^1] == ' ';
        foreach (var c in value)
        {
            if (target.Length >= maxChars)
            {
                return;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    target.Append(' ');
                    lastWasSpace = true;
                }
            }
            else
            {
                target.Append(c);
                lastWasSpace = false;
            }
        }
    }

    private static void AppendText(StringBuilder target, ReadOnlySpan<char> raw, int maxChars)
    {
        if (raw.Contains('&'))
        {
            AppendCollapsed(target, WebUtility.HtmlDecode(raw.ToString()), maxChars);
        }
        else
        {
            AppendCollapsed(target, raw, maxChars);
        }
    }

    /// <summary>Reads a tag's attributes up to its '>' (quotes respected); records a's href and img's src. Returns the index after the tag.</summary>
    private static int ReadAttributes(string html, int i, ReadOnlySpan<char> element, List<string> hrefs, ref int remote, ref int inline)
    {
        var isLink = element.Equals("a", StringComparison.OrdinalIgnoreCase);
        var isImage = element.Equals("img", StringComparison.OrdinalIgnoreCase);
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '>')
            {
                return i + 1;
            }

            if (char.IsWhiteSpace(c) || c == '/')
            {
                i++;
                continue;
            }

            var attrStart = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>' or '/'))
            {
                i++;
            }

            var attr = html.AsSpan(attrStart, i - attrStart);
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length || html[i] != '=')
            {
                if (i == attrStart)
                {
                    i++; // a lone '/' or '=' that is not an attribute: move on
                }

                continue;
            }

            i++;
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            int valueStart, valueEnd;
            if (i < html.Length && html[i] is '"' or '\'')
            {
                var quote = html[i];
                valueStart = i + 1;
                valueEnd = html.IndexOf(quote, valueStart);
                if (valueEnd < 0)
                {
                    valueEnd = html.Length;
                }

                i = Math.Min(html.Length, valueEnd + 1);
            }
            else
            {
                valueStart = i;
                while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
                {
                    i++;
                }

                valueEnd = i;
            }

            if (isLink && attr.Equals("href", StringComparison.OrdinalIgnoreCase))
            {
                var href = WebUtility.HtmlDecode(html[valueStart..valueEnd]).Trim();
                if (href.Length > 0 && hrefs.Count < FeatureExtractor.MaxUrls)
                {
                    hrefs.Add(href);
                }
            }
            else if (isImage && attr.Equals("src", StringComparison.OrdinalIgnoreCase))
            {
                var src = html.AsSpan(valueStart, valueEnd - valueStart).Trim();
                if (src.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
                {
                    inline++;
                }
                else if (src.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
                         || src.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
                         || src.StartsWith("//", StringComparison.Ordinal))
                {
                    remote++;
                }
            }
        }

        return html.Length;
    }

    /// <summary>
    /// <see cref="IndexOfEndTag"/> with each element's last answer remembered. The scan only moves forward, so an end
    /// tag found at or after the new start is still the first one, and "none" stays none: each element's end tags are
    /// searched for once per document instead of once per start tag ("&lt;script&gt;" × 30,000 without an end tag was
    /// 30,000 searches to the end, quadratic). The answers are exactly those of the search itself.
    /// </summary>
    internal sealed class EndTagSearch
    {
        private Dictionary<string, (int From, int At)>? _answers;

        public int IndexOf(string html, string element, int start)
        {
            _answers ??= new Dictionary<string, (int From, int At)>(StringComparer.Ordinal);
            if (_answers.TryGetValue(element, out var known) && start >= known.From && (known.At < 0 || start <= known.At))
            {
                return known.At;
            }

            var at = IndexOfEndTag(html, element, start);
            _answers[element] = (start, at);
            return at;
        }
    }

    /// <summary>Index of <c>&lt;/name</c> (any case) from <paramref name="start"/>, or -1.</summary>
    internal static int IndexOfEndTag(string html, ReadOnlySpan<char> name, int start)
    {
        var i = start;
        while (i < html.Length)
        {
            var found = html.AsSpan(i).IndexOf("</", StringComparison.Ordinal);
            if (found < 0)
            {
                return -1;
            }

            var at = i + found;
            var after = at + 2 + name.Length;
            if (after <= html.Length && html.AsSpan(at + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (after == html.Length || !char.IsAsciiLetterOrDigit(html[after])))
            {
                return at;
            }

            i = at + 2;
        }

        return -1;
    }

    private static int IndexAfter(string html, char c, int start)
    {
        var at = html.IndexOf(c, start);
        return at < 0 ? html.Length : at + 1;
    }

    private static int IndexOf(string html, string value, int start, int length)
    {
        var at = html.IndexOf(value, start, StringComparison.Ordinal);
        return at < 0 ? html.Length : at + length;
    }
}
