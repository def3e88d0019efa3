using System.Text;
using HtmlAgilityPack;

namespace MailGateway.Scl.Model.Features;

/// <summary>Turns HTML into visible text and collects its links and images, with a real HTML parser.</summary>
internal static class HtmlText
{
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
        var doc = new HtmlDocument();
        doc.LoadHtml(html);

        var text = new StringBuilder(Math.Min(html.Length, maxChars));
        var hrefs = new List<string>();
        var remote = 0;
        var inline = 0;

        // Iterative walk: crafted HTML nests thousands of levels deep and must not overflow the stack.
        var stack = new Stack<HtmlNode>();
        stack.Push(doc.DocumentNode);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            switch (node.NodeType)
            {
                case HtmlNodeType.Text:
                    if (text.Length < maxChars)
                    {
                        var t = HtmlEntity.DeEntitize(((HtmlTextNode)node).Text);
                        AppendCollapsed(text, t, maxChars);
                    }

                    continue;
                case HtmlNodeType.Comment:
                    continue;
                case HtmlNodeType.Element:
                    if (Invisible.Contains(node.Name))
                    {
                        continue;
                    }

                    if (BlockElements.Contains(node.Name) && text.Length > 0 && text[^1] != ' ' && text.Length < maxChars)
                    {
                        text.Append(' ');
                    }

                    if (node.Name.Equals("a", StringComparison.OrdinalIgnoreCase))
                    {
                        var href = node.GetAttributeValue("href", "");
                        if (href.Length > 0 && hrefs.Count < FeatureExtractor.MaxUrls)
                        {
                            hrefs.Add(HtmlEntity.DeEntitize(href).Trim());
                        }
                    }
                    else if (node.Name.Equals("img", StringComparison.OrdinalIgnoreCase))
                    {
                        var src = node.GetAttributeValue("src", "").Trim();
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

                    break;
            }

            for (var i = node.ChildNodes.Count - 1; i >= 0; i--)
            {
                stack.Push(node.ChildNodes[i]);
            }
        }

        return new Result(text.ToString().Trim(), hrefs, remote, inline);
    }

    /// <summary>Appends <paramref name="value"/> with runs of white space collapsed to one space.</summary>
    internal static void AppendCollapsed(StringBuilder target, string value, int maxChars)
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
}
