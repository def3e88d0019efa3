using System.Text;
using Microsoft.AspNetCore.Http;
using static System.Net.WebUtility;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The shell every console page shares: title, navigation and one inline style sheet. Pages are plain server-rendered
/// HTML under <see cref="AdminRequestGuard.ContentSecurityPolicy"/>: no script, nothing from another origin. A page
/// that refreshes on its own (the dashboard) does it with <c>&lt;meta http-equiv=refresh&gt;</c>, which needs no script.
/// </summary>
public static class AdminPage
{
    private static readonly (string Path, string Name)[] Sections =
    [
        ("/", "Dashboard"), ("/tracking", "Tracking"), ("/archive", "Archive"), ("/thresholds", "Thresholds"),
    ];

    public static StringBuilder Start(string title, int? refreshSeconds = null)
    {
        var sb = new StringBuilder()
            .Append("<!doctype html><html lang=en><head><meta charset=utf-8>");
        if (refreshSeconds is { } seconds)
        {
            sb.Append($"<meta http-equiv=refresh content={seconds}>");
        }

        sb.Append($"<title>{HtmlEncode(Shorten(title, 200))} - MailGateway</title><style>").Append(Css).Append("</style></head><body><nav>");
        foreach (var (path, name) in Sections)
        {
            sb.Append($"<a href=\"{path}\">{name}</a>");
        }

        return sb.Append("</nav>").Append($"<h1>{HtmlEncode(Shorten(title, 300))}</h1>");
    }

    public static IResult Html(StringBuilder page) => Results.Content(page.Append("</body></html>").ToString(), "text/html; charset=utf-8");

    /// <summary>A notice passed along a redirect (<c>?notice=</c>), shown once at the top of the page.</summary>
    public static void Notice(StringBuilder sb, IQueryCollection query)
    {
        if (query["notice"].ToString() is { Length: > 0 } notice)
        {
            sb.Append("<p class=notice role=status>").Append(HtmlEncode(Shorten(notice, 2000))).Append("</p>");
        }
    }

    /// <summary>Subjects and addresses come from senders: a 1 MB subject must not make a 1 MB table cell.</summary>
    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private const string Css =
        "body{font-family:sans-serif;margin:0 1.5em 1.5em;color:#222}nav{background:#263238;margin:0 -1.5em 1em;padding:.6em 1.5em}" +
        "nav a{color:#eceff1;margin-right:1.5em;text-decoration:none;font-weight:bold}h1{font-size:1.4em;overflow-wrap:anywhere}" +
        "table{border-collapse:collapse;width:100%;table-layout:auto}" +
        "th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word}" +
        "th{background:#f3f3f3}.trace{font-family:monospace;font-size:.8em;color:#555;max-width:32em;overflow-wrap:anywhere}" +
        "pre{background:#f8f8f8;padding:.8em;white-space:pre-wrap;word-break:break-all}.notice{background:#e8f5e9;padding:.5em}" +
        ".error{background:#ffebee;padding:.5em}.inline{display:inline}.filters label{margin-right:1em}" +
        ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:1em}" +
        ".card{border:1px solid #ddd;border-radius:4px;padding:.5em 1em}.card h2{font-size:1.05em;margin:.3em 0}" +
        "iframe.message{width:100%;height:32em;border:1px solid #ccc;background:#fff}" +
        "svg text{font-family:sans-serif;font-size:11px;fill:#333}.legend span{display:inline-block;margin-right:1em}" +
        ".swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}" +
        "dl.explain dt{font-weight:bold;float:left;clear:left;width:10em}dl.explain dd{margin-left:10.5em}" +
        "dl.explain .reasons{color:#444;font-size:.9em;margin-top:.2em}";
}
