using System.Globalization;
using System.Text;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Tracking;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using static System.Net.WebUtility;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The web archive manager: a server-rendered list at /archive (newest first, filters by SCL, date and text), a
/// message view that shows headers and text only (message HTML is never rendered), and buttons to release a message
/// to its recipients' inboxes or to keep it as spam or ham for retraining. No resource comes from the internet.
/// </summary>
public static class ArchivePages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/archive", async (HttpContext http, IArchiveIndex index, CancellationToken ct) =>
            Html(await ListAsync(index, http.Request.Query, ct)));
        app.MapGet("/archive/{id}", async (string id, HttpContext http, ArchiveCatalog catalog, IArchiveIndex index,
                IAntiforgery antiforgery, CancellationToken ct) =>
        {
            if (catalog.Find(id) is { } entry)
            {
                return Html(await ViewAsync(entry, antiforgery.GetAndStoreTokens(http), ct));
            }

            // Archived by another gateway sharing the database, on a folder this one does not mount: say where it is.
            return ArchiveCatalog.IsId(id) && await index.FindAsync(id, ct) is { } elsewhere
                ? Results.Text($"message {id} is archived on gateway {elsewhere.Node} ({elsewhere.Path}): open it there, " +
                               "or give the gateways one shared archive folder (docs/admin.md)\n", statusCode: StatusCodes.Status404NotFound)
                : Results.NotFound();
        });
        app.MapPost("/archive/{id}/release", async (string id, HttpContext http, ArchiveRelease release,
            IAntiforgery antiforgery, IOptions<AdminOptions> options, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var logger = loggers.CreateLogger(typeof(ArchivePages));
            if (await RefusedAsync(http, antiforgery, options.Value, logger, "release", id) is { } refused)
            {
                return refused;
            }

            var error = await release.ReleaseAsync(id, ct);
            Log(logger, http, options.Value, "release", id, error ?? "released");
            return Results.Redirect($"/archive?notice={Uri.EscapeDataString(error ?? $"released {id} to its recipients' inboxes")}");
        });
        foreach (var kind in new[] { FeedbackKind.Spam, FeedbackKind.Ham })
        {
            var name = kind.ToString().ToLowerInvariant();
            app.MapPost($"/archive/{{id}}/{name}", async (string id, HttpContext http, ArchiveCatalog catalog,
                FeedbackStore feedback, IAntiforgery antiforgery, IOptions<AdminOptions> options, ILoggerFactory loggers,
                CancellationToken ct) =>
            {
                var logger = loggers.CreateLogger(typeof(ArchivePages));
                if (await RefusedAsync(http, antiforgery, options.Value, logger, name, id) is { } refused)
                {
                    return refused;
                }

                if (catalog.Find(id) is not { } entry)
                {
                    Log(logger, http, options.Value, name, id, "no such message");
                    return Results.NotFound();
                }

                await feedback.KeepAsync(entry.Path, kind, ct, Actor(options.Value));
                Log(logger, http, options.Value, name, id, $"kept as {name}");
                return Results.Redirect($"/archive?notice={Uri.EscapeDataString($"kept {id} as {name} for retraining")}");
            });
        }
    }

    /// <summary>
    /// A state-changing request must come from our own page: a valid anti-forgery token (form field and cookie), an
    /// Origin (or Referer) naming the host it was sent to, and without a bearer token in use one of the two must be
    /// there. Returns the refusal, or null to go on.
    /// </summary>
    private static async Task<IResult?> RefusedAsync(HttpContext http, IAntiforgery antiforgery, AdminOptions options,
        ILogger logger, string action, string id)
    {
        string? why = null;
        var status = StatusCodes.Status403Forbidden;
        var source = http.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : http.Request.Headers.Referer.ToString();
        if (source.Length > 0)
        {
            if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Authority != http.Request.Host.Value)
            {
                why = $"foreign origin {source}";
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Token))
        {
            why = "no Origin or Referer";
        }

        if (why is null && !await antiforgery.IsRequestValidAsync(http))
        {
            why = "missing or invalid anti-forgery token";
            status = StatusCodes.Status400BadRequest;
        }

        if (why is null)
        {
            return null;
        }

        logger.LogWarning("Admin {Action} of {MessageId} refused for {Actor} from {ClientIp}: {Reason}",
            action, id, Actor(options), http.Connection.RemoteIpAddress, why);
        return Results.Text(why + "\n", statusCode: status);
    }

    // One event per admin action: what, which message, who (the bearer token or a loopback client) and from where.
    private static void Log(ILogger logger, HttpContext http, AdminOptions options, string action, string id, string outcome) =>
        logger.LogInformation("Admin {Action} of {MessageId} by {Actor} from {ClientIp}: {Outcome}",
            action, id, Actor(options), http.Connection.RemoteIpAddress, outcome);

    // With a token set, every request that got this far carried it (AdminTokenMiddleware).
    private static string Actor(AdminOptions options) => string.IsNullOrWhiteSpace(options.Token) ? "loopback" : "token";

    private static IResult Html(string body) => Results.Content(body, "text/html; charset=utf-8");

    private static async Task<string> ListAsync(IArchiveIndex index, IQueryCollection query, CancellationToken ct)
    {
        var minScl = int.TryParse(query["scl"], out var s) ? s : (int?)null;
        var since = DateTimeOffset.TryParse(query["since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d : (DateTimeOffset?)null;
        var text = query["q"].ToString();
        var page = await index.ListAsync(new ArchiveQuery
        {
            MinScl = minScl,
            Since = since,
            Text = text.Length == 0 ? null : text,
            Limit = 500,
        }, ct);
        var entries = page.Items;

        var sb = Page("Archive");
        if (query["notice"].ToString() is { Length: > 0 } notice)
        {
            sb.Append("<p class=notice role=status>").Append(HtmlEncode(notice)).Append("</p>");
        }

        sb.Append("<form method=get class=filters>")
            .Append($"<label>Min SCL <input name=scl type=number min=-1 max=9 value=\"{HtmlEncode(query["scl"].ToString())}\"></label> ")
            .Append($"<label>Since <input name=since type=date value=\"{HtmlEncode(query["since"].ToString())}\"></label> ")
            .Append($"<label>Text <input name=q value=\"{HtmlEncode(text)}\"></label> ")
            .Append("<button type=submit>Filter</button></form>");
        sb.Append($"<p>{page.Total} message(s)</p><table><thead><tr><th>Date (UTC)</th><th>Sender</th><th>Recipients</th>")
            .Append("<th>Subject</th><th>SCL</th><th>State</th><th>Trace</th></tr></thead><tbody>");
        foreach (var e in entries)
        {
            var state = e.IsVirus ? "virus" : e.Released ? "released" : "archived";
            sb.Append("<tr>")
                .Append($"<td>{e.Date.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td>")
                .Append($"<td>{HtmlEncode(e.EnvelopeFrom)}</td>")
                .Append($"<td>{HtmlEncode(string.Join(", ", e.EnvelopeTo))}</td>")
                .Append($"<td><a href=\"/archive/{HtmlEncode(e.Id)}\">{HtmlEncode(e.Subject.Length == 0 ? "(no subject)" : e.Subject)}</a></td>")
                .Append($"<td>{e.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-"}</td>")
                .Append($"<td>{state}</td>")
                .Append($"<td class=trace>{HtmlEncode(e.Trace)}</td>")
                .Append("</tr>");
        }

        return sb.Append("</tbody></table></body></html>").ToString();
    }

    private static async Task<string> ViewAsync(ArchiveEntry entry, AntiforgeryTokenSet tokens, CancellationToken ct)
    {
        var token = $"<input type=hidden name=\"{HtmlEncode(tokens.FormFieldName)}\" value=\"{HtmlEncode(tokens.RequestToken)}\">";
        var sb = Page(entry.Subject.Length == 0 ? entry.Id : entry.Subject);
        sb.Append("<p><a href=\"/archive\">&larr; Archive</a></p>");
        if (!entry.IsVirus && !entry.Released)
        {
            sb.Append($"<form method=post action=\"/archive/{HtmlEncode(entry.Id)}/release\" class=inline>{token}<button type=submit>Release to inbox</button></form> ");
        }

        if (!entry.IsVirus)
        {
            sb.Append($"<form method=post action=\"/archive/{HtmlEncode(entry.Id)}/spam\" class=inline>{token}<button type=submit>Mark as spam</button></form> ")
                .Append($"<form method=post action=\"/archive/{HtmlEncode(entry.Id)}/ham\" class=inline>{token}<button type=submit>Mark as ham</button></form>");
        }

        await using var stream = File.OpenRead(entry.Path);
        using var message = await MimeMessage.LoadAsync(stream, ct);
        sb.Append("<h2>Headers</h2><pre class=headers>");
        foreach (var header in message.Headers)
        {
            sb.Append(HtmlEncode($"{header.Field}: {header.Value}")).Append('\n');
        }

        sb.Append("</pre><h2>Text</h2><pre class=body>");
        var body = message.TextBody ?? (message.HtmlBody is { } html ? "(HTML only; shown as source, never rendered)\n" + html : "(no text part)");
        sb.Append(HtmlEncode(body.Length > 200_000 ? body[..200_000] + "\n…" : body)).Append("</pre>");
        var attachments = message.Attachments.Select(a => a.ContentDisposition?.FileName ?? a.ContentType.MimeType).ToList();
        if (attachments.Count > 0)
        {
            sb.Append("<h2>Attachments</h2><ul>");
            foreach (var a in attachments)
            {
                sb.Append("<li>").Append(HtmlEncode(a)).Append("</li>");
            }

            sb.Append("</ul>");
        }

        return sb.Append("</body></html>").ToString();
    }

    private static StringBuilder Page(string title) => new StringBuilder()
        .Append("<!doctype html><html lang=en><head><meta charset=utf-8>")
        .Append($"<title>{HtmlEncode(title)} - MailGateway</title><style>")
        .Append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}")
        .Append("th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}")
        .Append("th{background:#f3f3f3}.trace{font-family:monospace;font-size:.8em;color:#555}")
        .Append("pre{background:#f8f8f8;padding:.8em;white-space:pre-wrap;word-break:break-all}.notice{background:#e8f5e9;padding:.5em}")
        .Append(".inline{display:inline}.filters label{margin-right:1em}</style></head><body>")
        .Append($"<h1>MailGateway &mdash; {HtmlEncode(title)}</h1>");
}
