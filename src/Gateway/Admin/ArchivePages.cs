using System.Globalization;
using System.Text;
using MailGateway.Filters.Model;
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
/// The archive manager: a list at /archive (newest first, filters by SCL, date and text) with bulk release, delete
/// and mark-as-spam/ham, and a message view that shows the message as a mail client would (the HTML sanitised and
/// served apart in a sandboxed frame, <see cref="MessageHtml"/>), its headers collapsed and its trace in words, with the
/// model's reasons for its score (<see cref="ModelReasons"/>).
/// Releasing keeps the message as ham for retraining, as marking does. No resource comes from the internet.
/// </summary>
public static class ArchivePages
{
    private static readonly string[] Actions = ["release", "delete", "spam", "ham"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/archive", async (HttpContext http, IArchiveIndex index, IAntiforgery antiforgery, CancellationToken ct) =>
            AdminPage.Html(await ListAsync(index, http, antiforgery, ct)));
        app.MapGet("/archive/{id}", async (string id, HttpContext http, ArchiveCatalog catalog, IArchiveIndex index,
            IAntiforgery antiforgery, SclScorerHost model, CancellationToken ct) =>
        {
            if (catalog.Find(id) is { } entry)
            {
                return AdminPage.Html(await ViewAsync(entry, AdminForm.TokenField(http, antiforgery), model, ct));
            }

            // Archived by another gateway sharing the database, on a folder this one does not mount: say where it is.
            return ArchiveCatalog.IsId(id) && await index.FindAsync(id, ct) is { } elsewhere
                ? Results.Content(Elsewhere(elsewhere).Append("</body></html>").ToString(), "text/html; charset=utf-8",
                    statusCode: StatusCodes.Status404NotFound)
                : Results.NotFound();
        });
        app.MapGet("/archive/{id}/body", async (string id, HttpContext http, ArchiveCatalog catalog, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } entry)
            {
                return Results.NotFound();
            }

            // This response alone may be framed, and by our own pages only; it gets its own, stricter policy.
            http.Response.Headers.ContentSecurityPolicy = MessageHtml.ContentSecurityPolicy;
            http.Response.Headers.XFrameOptions = "SAMEORIGIN";
            await using var stream = File.OpenRead(entry.Path);
            using var message = await MimeMessage.LoadAsync(stream, ct);
            return Results.Content(MessageHtml.Render(message.HtmlBody ?? ""), "text/html; charset=utf-8");
        });
        app.MapPost("/archive/{id}/{action}", async (string id, string action, HttpContext http, IServiceProvider services,
            IAntiforgery antiforgery, IOptions<AdminOptions> options, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (!Actions.Contains(action))
            {
                return Results.NotFound();
            }

            var logger = loggers.CreateLogger(typeof(ArchivePages));
            if (await AdminForm.RefusedAsync(http, antiforgery, options.Value, logger, action, id) is { } refused)
            {
                return refused;
            }

            var (error, done) = await ApplyAsync(services, action, id, AdminForm.Actor(options.Value), ct);
            AdminForm.Log(logger, http, options.Value, action, id, error ?? done);
            return Results.Redirect($"/archive?notice={Uri.EscapeDataString(error ?? $"{done}: {id}")}");
        });
        app.MapPost("/archive", async (HttpContext http, IServiceProvider services, IAntiforgery antiforgery,
            IOptions<AdminOptions> options, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var logger = loggers.CreateLogger(typeof(ArchivePages));
            var form = await http.Request.ReadFormAsync(ct);
            var action = form["action"].ToString();
            var ids = form["id"].Where(i => i is not null).Select(i => i!).Distinct().ToList();
            if (await AdminForm.RefusedAsync(http, antiforgery, options.Value, logger, "bulk " + action, string.Join(',', ids)) is { } refused)
            {
                return refused;
            }

            if (!Actions.Contains(action) || ids.Count == 0)
            {
                return Results.Redirect($"/archive?notice={Uri.EscapeDataString("choose messages and an action")}");
            }

            var failures = new List<string>();
            foreach (var id in ids)
            {
                var (error, done) = await ApplyAsync(services, action, id, AdminForm.Actor(options.Value), ct);
                AdminForm.Log(logger, http, options.Value, action, id, error ?? done);
                if (error is not null)
                {
                    failures.Add(error);
                }
            }

            var notice = $"{action}: {ids.Count - failures.Count} of {ids.Count} done" +
                         (failures.Count > 0 ? "; " + string.Join("; ", failures) : "");
            return Results.Redirect($"/archive?notice={Uri.EscapeDataString(notice)}");
        });
    }

    /// <summary>Carries out one action on one message: returns the error, or what was done.</summary>
    private static async Task<(string? Error, string Done)> ApplyAsync(IServiceProvider services, string action, string id,
        string actor, CancellationToken ct)
    {
        switch (action)
        {
            case "release":
                return (await Get<ArchiveRelease>(services).ReleaseAsync(id, ct), "released to its recipients' inboxes");
            case "delete":
                return (await Get<ArchiveDeletion>(services).DeleteAsync(id, actor), "deleted");
            default:
                if (Get<ArchiveCatalog>(services).Find(id) is not { } entry)
                {
                    return ("no such message: " + id, "");
                }

                var kind = action == "spam" ? FeedbackKind.Spam : FeedbackKind.Ham;
                await Get<FeedbackStore>(services).KeepAsync(entry.Path, kind, ct, actor);
                return (null, $"kept as {action} for retraining");
        }
    }

    private static T Get<T>(IServiceProvider services)
        where T : notnull => (T)services.GetService(typeof(T))!;

    private static async Task<StringBuilder> ListAsync(IArchiveIndex index, HttpContext http, IAntiforgery antiforgery,
        CancellationToken ct)
    {
        var query = http.Request.Query;
        var minScl = int.TryParse(query["scl"], out var s) ? s : (int?)null;
        var since = DateTimeOffset.TryParse(query["since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d : (DateTimeOffset?)null;
        var text = query["q"].ToString();
        var state = Enum.TryParse<ArchiveStateFilter>(query["state"], ignoreCase: true, out var st) ? st : ArchiveStateFilter.All;
        var result = await index.ListAsync(new ArchiveQuery
        {
            MinScl = minScl,
            Since = since,
            Text = text.Length == 0 ? null : text,
            State = state,
            Limit = 500,
        }, ct);
        var entries = result.Items;

        var sb = AdminPage.Start("Archive");
        AdminPage.Notice(sb, query);
        sb.Append("<form method=get class=filters>")
            .Append($"<label>Min SCL <input name=scl type=number min=-1 max=9 value=\"{HtmlEncode(query["scl"].ToString())}\"></label> ")
            .Append($"<label>Since <input name=since type=date value=\"{HtmlEncode(query["since"].ToString())}\"></label> ")
            .Append($"<label>Text <input name=q value=\"{HtmlEncode(text)}\"></label> ")
            .Append("<label>State <select name=state>");
        foreach (var option in Enum.GetValues<ArchiveStateFilter>())
        {
            sb.Append($"<option{(option == state ? " selected" : "")}>{option}</option>");
        }

        sb.Append("</select></label> <button type=submit>Filter</button></form>");
        sb.Append("<form method=post action=\"/archive\" id=bulk>").Append(AdminForm.TokenField(http, antiforgery))
            .Append($"<p>{result.Total} message(s){(result.Total > entries.Count ? $", the newest {entries.Count} shown" : "")}. With the selected: ")
            .Append("<button type=submit name=action value=release>Release</button> ")
            .Append("<button type=submit name=action value=spam>Mark as spam</button> ")
            .Append("<button type=submit name=action value=ham>Mark as ham</button> ")
            .Append("<button type=submit name=action value=delete>Delete</button></p>")
            .Append("<table><thead><tr><th></th><th>Date (UTC)</th><th>Sender</th><th>Recipients</th>")
            .Append("<th>Subject</th><th>SCL</th><th>State</th><th>Gateway</th><th>Trace</th></tr></thead><tbody>");
        foreach (var e in entries)
        {
            var subject = e.Subject.Length == 0 ? "(no subject)" : AdminPage.Shorten(e.Subject, 300);
            sb.Append("<tr>")
                .Append($"<td><input type=checkbox name=id value=\"{HtmlEncode(e.Id)}\" aria-label=\"select {HtmlEncode(e.Id)}\"></td>")
                .Append($"<td>{e.Date.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td>")
                .Append($"<td>{HtmlEncode(AdminPage.Shorten(e.EnvelopeFrom, 300))}</td>")
                .Append($"<td>{HtmlEncode(AdminPage.Shorten(string.Join(", ", e.EnvelopeTo), 500))}</td>")
                .Append($"<td><a href=\"/archive/{HtmlEncode(e.Id)}\">{HtmlEncode(subject)}</a></td>")
                .Append($"<td>{e.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-"}</td>")
                .Append($"<td>{StateOf(e)}</td>")
                .Append($"<td>{HtmlEncode(e.Node)}</td>")
                .Append($"<td class=trace>{HtmlEncode(AdminPage.Shorten(e.Trace, 1000))}</td>")
                .Append("</tr>");
        }

        return sb.Append("</tbody></table></form>");
    }

    private static string StateOf(ArchiveEntry e) => e.IsVirus ? "virus" : e.Released ? "released" : "archived";

    private static StringBuilder Elsewhere(ArchiveEntry entry)
    {
        var sb = AdminPage.Start(entry.Subject.Length == 0 ? entry.Id : entry.Subject);
        return sb.Append("<p><a href=\"/archive\">&larr; Archive</a></p>")
            .Append($"<p class=notice>message {HtmlEncode(entry.Id)} is archived on gateway {HtmlEncode(entry.Node)} ")
            .Append($"({HtmlEncode(entry.Path)}): open it there to read, release or delete it, or give the gateways one shared ")
            .Append("archive folder (docs/admin.md).</p>")
            .Append("<table class=envelope><tbody>")
            .Append($"<tr><th>Arrived (UTC)</th><td>{entry.Date.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td></tr>")
            .Append($"<tr><th>Envelope sender</th><td>{HtmlEncode(AdminPage.Shorten(entry.EnvelopeFrom, 500))}</td></tr>")
            .Append($"<tr><th>Recipients</th><td>{HtmlEncode(AdminPage.Shorten(string.Join(", ", entry.EnvelopeTo), 2000))}</td></tr>")
            .Append($"<tr><th>SCL</th><td>{entry.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-"}</td></tr>")
            .Append($"<tr><th>State</th><td>{StateOf(entry)}</td></tr>")
            .Append($"<tr><th>Trace</th><td>{HtmlEncode(TraceWords.Summary(TraceWords.Parse(entry.Trace)))}</td></tr>")
            .Append("</tbody></table>");
    }

    private static async Task<StringBuilder> ViewAsync(ArchiveEntry entry, string token, SclScorerHost model, CancellationToken ct)
    {
        var sb = AdminPage.Start(entry.Subject.Length == 0 ? entry.Id : entry.Subject);
        sb.Append("<p><a href=\"/archive\">&larr; Archive</a></p>");
        var id = HtmlEncode(entry.Id);
        if (!entry.IsVirus && !entry.Released)
        {
            sb.Append($"<form method=post action=\"/archive/{id}/release\" class=inline>{token}<button type=submit>Release to inbox</button></form> ");
        }

        if (!entry.IsVirus)
        {
            sb.Append($"<form method=post action=\"/archive/{id}/spam\" class=inline>{token}<button type=submit>Mark as spam</button></form> ")
                .Append($"<form method=post action=\"/archive/{id}/ham\" class=inline>{token}<button type=submit>Mark as ham</button></form> ");
        }

        sb.Append($"<form method=post action=\"/archive/{id}/delete\" class=inline>{token}<button type=submit>Delete</button></form>");

        sb.Append("<table class=envelope><tbody>")
            .Append($"<tr><th>Arrived (UTC)</th><td>{entry.Date.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td></tr>")
            .Append($"<tr><th>Envelope sender</th><td>{HtmlEncode(AdminPage.Shorten(entry.EnvelopeFrom, 500))}</td></tr>")
            .Append($"<tr><th>Recipients</th><td>{HtmlEncode(AdminPage.Shorten(string.Join(", ", entry.EnvelopeTo), 2000))}</td></tr>")
            .Append($"<tr><th>SCL</th><td>{entry.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-"}</td></tr>")
            .Append($"<tr><th>State</th><td>{StateOf(entry)}</td></tr>")
            .Append("</tbody></table>");

        sb.Append("<h2>Why it is here</h2><dl class=explain>");
        var trace = TraceWords.Parse(entry.Trace);
        var explained = TraceWords.Explain(trace);
        for (var i = 0; i < explained.Count; i++)
        {
            var (filter, words) = explained[i];
            sb.Append($"<dt>{HtmlEncode(filter)}</dt><dd>{HtmlEncode(words)}");
            // The model's reasons, when it scored the message: worked out now, for this page only.
            if (TraceWords.IsModelScore(trace[i])
                && await ModelReasons.DescribeAsync(model, entry.Path, trace[i].SclAfter, ct) is { } reasons)
            {
                sb.Append($"<div class=reasons>{HtmlEncode(reasons)}</div>");
            }

            sb.Append("</dd>");
        }

        if (explained.Count == 0)
        {
            sb.Append("<dt>Trace</dt><dd>none recorded</dd>");
        }

        sb.Append("</dl>");

        await using var stream = File.OpenRead(entry.Path);
        using var message = await MimeMessage.LoadAsync(stream, ct);
        sb.Append("<details class=headers><summary>Headers</summary><pre class=headers>");
        foreach (var header in message.Headers)
        {
            sb.Append(HtmlEncode(AdminPage.Shorten($"{header.Field}: {header.Value}", 10_000))).Append('\n');
        }

        sb.Append("</pre></details>");
        if (message.HtmlBody is not null)
        {
            // Rendered apart under its own policy, in a frame with every sandbox restriction (no script, no forms,
            // no navigation of this page, an opaque origin).
            sb.Append("<h2>Message</h2>")
                .Append($"<iframe class=message sandbox title=\"message content\" src=\"/archive/{id}/body\"></iframe>");
        }

        if (message.TextBody is { } text)
        {
            sb.Append(message.HtmlBody is null ? "<h2>Text</h2>" : "<details><summary>Text part</summary>")
                .Append("<pre class=body>")
                .Append(HtmlEncode(text.Length > 200_000 ? text[..200_000] + "\n…" : text))
                .Append("</pre>")
                .Append(message.HtmlBody is null ? "" : "</details>");
        }
        else if (message.HtmlBody is null)
        {
            sb.Append("<h2>Text</h2><pre class=body>(no text part)</pre>");
        }

        var attachments = message.BodyParts.OfType<MimePart>()
            .Where(p => p.IsAttachment || p.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase))
            .Select(a => $"{a.FileName ?? a.ContentId ?? "(unnamed)"} ({a.ContentType.MimeType}{(a.IsAttachment ? "" : ", inline")})")
            .ToList();
        if (attachments.Count > 0)
        {
            sb.Append("<h2>Attachments and inline parts</h2><ul>");
            foreach (var a in attachments)
            {
                sb.Append("<li>").Append(HtmlEncode(AdminPage.Shorten(a, 500))).Append("</li>");
            }

            sb.Append("</ul>");
        }

        return sb;
    }
}
