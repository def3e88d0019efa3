using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Ganss.Xss;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// A message's HTML made harmless to look at, as a mail client with remote content off shows it: no script, no event
/// handler, no form, no meta refresh, no style sheet or CSS that could fetch (url(), image-set); every image (remote or
/// inline) becomes a text placeholder and every link loses its target (shown as a tooltip instead), so opening the
/// message sends no request anywhere. The result is served on its own (<see cref="ContentSecurityPolicy"/>) inside a
/// sandboxed frame: the sanitiser is the first wall, the policy and the sandbox the second and third.
/// </summary>
public static partial class MessageHtml
{
    /// <summary>
    /// The policy of the rendered message: nothing loads but data: images (none are left, but a bug in the sanitiser
    /// would still find no network), inline style only, no framing but by our own page, and the CSP sandbox, so the
    /// document runs no script and has an opaque origin even when opened directly rather than in the frame.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox";

    /// <summary>
    /// More than this is cut before parsing: the page is for reading, and the sanitiser's cost grows with size (on the
    /// shared 2-core development machine 450 K characters of styled HTML took 1.7-1.8 s, HtmlSanitizer's defaults alone 0.8-1.3 s).
    /// </summary>
    public const int MaxHtmlChars = 512 * 1024;

    private static readonly string[] FormTags = ["form", "input", "button", "select", "textarea", "option", "optgroup", "label", "fieldset", "legend", "datalist", "output"];

    /// <summary>A whole document for the frame: the sanitised body and a little style for the placeholders.</summary>
    public static string Render(string html)
    {
        var cut = html.Length > MaxHtmlChars;
        if (cut)
        {
            html = html[..MaxHtmlChars];
        }

        var body = Sanitizer().Sanitize(html) +
                   (cut ? $"<p class=mailgw-placeholder>[the rest of the HTML is not shown: cut at {MaxHtmlChars / 1024} K characters]</p>" : "");
        return "<!doctype html><html><head><meta charset=utf-8><style>" +
               "body{font-family:sans-serif;margin:.5em;overflow-wrap:anywhere}" +
               ".mailgw-placeholder{display:inline-block;border:1px dashed #999;color:#555;background:#f5f5f5;padding:.2em .4em;font-size:.85em}" +
               ".mailgw-link{text-decoration:underline;color:#1a5fb4}</style></head><body>" + body + "</body></html>";
    }

    private static HtmlSanitizer Sanitizer()
    {
        var sanitizer = new HtmlSanitizer { DisallowCssPropertyValue = DangerousCss() };
        foreach (var tag in FormTags)
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        // cid: kept through the sanitiser so an inline image's placeholder can say what it was; no URL survives below.
        sanitizer.AllowedSchemes.Add("cid");
        foreach (var property in new[] { "background-image", "list-style-image", "border-image", "border-image-source", "content", "cursor", "mask", "mask-image", "filter" })
        {
            sanitizer.AllowedCssProperties.Remove(property);
        }

        sanitizer.AllowedAtRules.Clear();
        sanitizer.AllowedAttributes.Remove("background");
        sanitizer.AllowedAttributes.Remove("action");
        sanitizer.AllowedAttributes.Remove("formaction");
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var image in e.Document.QuerySelectorAll("img, picture, video, audio, source, svg, image").ToList())
            {
                var placeholder = e.Document.CreateElement("span");
                placeholder.ClassName = "mailgw-placeholder";
                placeholder.TextContent = Placeholder(image);
                image.Replace(placeholder);
            }

            foreach (var link in e.Document.QuerySelectorAll("a, area").ToList())
            {
                // The link's target as a tooltip: visible to the reader, never followed from the frame.
                if (link.GetAttribute("href") is { Length: > 0 } href)
                {
                    link.SetAttribute("title", href.Length > 500 ? href[..500] + "…" : href);
                }

                link.RemoveAttribute("href");
                link.ClassList.Add("mailgw-link");
            }

            // Whatever else names a resource (the sanitiser's own list of URL attributes) goes too.
            var named = new HashSet<string>(sanitizer.UriAttributes.Append("srcset"), StringComparer.OrdinalIgnoreCase);
            foreach (var element in e.Document.All)
            {
                foreach (var name in element.Attributes.Select(a => a.Name).Where(named.Contains).ToList())
                {
                    element.RemoveAttribute(name);
                }
            }
        };
        return sanitizer;
    }

    private static string Placeholder(IElement image)
    {
        var source = image.GetAttribute("src") ?? "";
        var what = source.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) ? "inline image"
            : source.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? "embedded image"
            : source.Length > 0 ? "remote image, not loaded"
            : "image";
        var alt = image.GetAttribute("alt") is { Length: > 0 } a ? $": {(a.Length > 80 ? a[..80] + "…" : a)}" : "";
        return $"[{what}{alt}]";
    }

    [GeneratedRegex(@"url\s*\(|image-set|image\s*\(|expression\s*\(|@import|[<>\\]", RegexOptions.IgnoreCase)]
    private static partial Regex DangerousCss();
}
