using System.Globalization;
using System.Text;
using MailGateway.Filters.Chain;
using MailGateway.Gateway.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static System.Net.WebUtility;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// Message tracking: /tracking searches by sender, recipient, Message-ID (or gateway id), client address, route, SCL
/// range and time; /tracking/{id} shows one message's decision, each filter's outcome and time, and every event after.
/// </summary>
public static class TrackingPages
{
    private static readonly string[] Routes = ["inbox", "junk", "archive", "virus-archive", "rejected"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/tracking", async (HttpContext http, ITrackingStore store, CancellationToken ct) =>
            AdminPage.Html(await SearchAsync(http.Request.Query, store, ct)));
        app.MapGet("/tracking/{id}", async (string id, ITrackingStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } detail ? AdminPage.Html(Detail(detail)) : Results.NotFound());
    }

    private static async Task<StringBuilder> SearchAsync(IQueryCollection q, ITrackingStore store, CancellationToken ct)
    {
        var sb = AdminPage.Start("Message tracking");
        string? Text(string key) => q[key].ToString().Trim() is { Length: > 0 } v ? v : null;
        int? Int(string key) => int.TryParse(q[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        DateTimeOffset? Time(string key) => DateTimeOffset.TryParse(q[key], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var v) ? v : null;
        var offset = Math.Max(0, Int("offset") ?? 0);
        var query = new TrackingQuery
        {
            Sender = Text("sender"),
            Recipient = Text("recipient"),
            MessageId = Text("msgid"),
            ClientAddress = Text("client"),
            Disposition = Text("route"),
            MinScl = Int("sclmin"),
            MaxScl = Int("sclmax"),
            Since = Time("since"),
            Until = Time("until"),
            Offset = offset,
            Limit = 100,
        };

        sb.Append("<form method=get class=filters>");
        Field(sb, "Sender", "sender", q);
        Field(sb, "Recipient", "recipient", q);
        Field(sb, "Message-ID", "msgid", q);
        Field(sb, "Client address", "client", q);
        sb.Append("<label>Route <select name=route><option value=\"\">any</option>");
        foreach (var route in Routes)
        {
            sb.Append($"<option{(q["route"] == route ? " selected" : "")}>{route}</option>");
        }

        sb.Append("</select></label> ");
        Field(sb, "SCL from", "sclmin", q, "number min=-1 max=9");
        Field(sb, "to", "sclmax", q, "number min=-1 max=9");
        Field(sb, "Since (UTC)", "since", q, "datetime-local");
        Field(sb, "Until (UTC)", "until", q, "datetime-local");
        sb.Append("<button type=submit>Search</button></form>");

        ResultPage<TrackedMessage> page;
        try
        {
            page = await store.SearchAsync(query, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return sb.Append($"<p class=error>Tracking store unavailable: {HtmlEncode(ex.Message)}</p>");
        }

        sb.Append($"<p class=count>{page.Total} message(s)")
            .Append(page.Total > page.Items.Count ? $", {offset + 1}–{offset + page.Items.Count} shown" : "").Append("</p>")
            .Append("<table class=results><thead><tr><th>Received (UTC)</th><th>Sender</th><th>Recipients</th><th>Subject</th>")
            .Append("<th>Message-ID</th><th>Client</th><th>SCL</th><th>Route</th><th>Gateway</th></tr></thead><tbody>");
        foreach (var m in page.Items)
        {
            sb.Append("<tr>")
                .Append($"<td><a href=\"/tracking/{HtmlEncode(m.Id)}\">{m.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}</a></td>")
                .Append($"<td>{HtmlEncode(AdminPage.Shorten(m.Sender, 200))}</td>")
                .Append($"<td>{HtmlEncode(AdminPage.Shorten(string.Join(", ", m.Recipients), 300))}</td>")
                .Append($"<td>{HtmlEncode(AdminPage.Shorten(m.Subject, 200))}</td>")
                .Append($"<td>{HtmlEncode(AdminPage.Shorten(m.HeaderMessageId, 200))}</td>")
                .Append($"<td>{HtmlEncode(m.ClientAddress)}</td>")
                .Append($"<td>{m.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-"}</td>")
                .Append($"<td>{HtmlEncode(m.Disposition)}</td>")
                .Append($"<td>{HtmlEncode(m.Node)}</td>")
                .Append("</tr>");
        }

        sb.Append("</tbody></table>");
        if (page.Total > offset + page.Items.Count)
        {
            var next = QueryString.Create(q.Where(p => p.Key != "offset").Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))
                .Append(KeyValuePair.Create("offset", (string?)(offset + page.Items.Count).ToString(CultureInfo.InvariantCulture))));
            sb.Append($"<p><a href=\"/tracking{HtmlEncode(next.ToString())}\">Next page</a></p>");
        }

        return sb;
    }

    private static StringBuilder Detail(TrackedMessageDetail detail)
    {
        var m = detail.Message;
        var sb = AdminPage.Start(m.Subject.Length == 0 ? m.Id : m.Subject);
        sb.Append("<p><a href=\"/tracking\">&larr; Tracking</a>");
        if (m.Disposition is "archive" or "virus-archive")
        {
            sb.Append($" · <a href=\"/archive/{HtmlEncode(m.Id)}\">in the archive</a>");
        }

        sb.Append("</p><table class=message><tbody>");
        Row(sb, "Gateway id", m.Id);
        Row(sb, "Received (UTC)", m.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
        Row(sb, "Gateway", m.Node);
        Row(sb, "Session", m.SessionId);
        Row(sb, "Client", $"{m.ClientAddress} (HELO {m.HeloName})");
        Row(sb, "Sender", m.Sender);
        Row(sb, "Recipients", string.Join(", ", m.Recipients));
        Row(sb, "Message-ID", m.HeaderMessageId);
        Row(sb, "Subject", m.Subject);
        Row(sb, "Size", $"{m.Size} bytes");
        Row(sb, "SCL", m.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-");
        Row(sb, "BCL", m.Bcl?.ToString(CultureInfo.InvariantCulture) ?? "-");
        Row(sb, "Route", m.Disposition + (m.Detail.Length > 0 ? $" ({m.Detail})" : ""));
        Row(sb, "Reply", m.ReplyCode.ToString(CultureInfo.InvariantCulture));
        sb.Append("</tbody></table>");

        var entries = detail.Filters.OrderBy(f => f.Position)
            .Select(f => new TraceEntry(f.Filter, f.Outcome, f.SclBefore, f.SclAfter, f.ElapsedMicroseconds)).ToList();
        var words = TraceWords.Explain(entries);
        sb.Append("<h2>Filters</h2><table class=filters><thead><tr><th>#</th><th>Filter</th><th>Outcome</th><th>SCL</th>")
            .Append("<th>Time</th><th>In words</th></tr></thead><tbody>");
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var scl = e.SclBefore == e.SclAfter ? Scl(e.SclAfter) : $"{Scl(e.SclBefore)} → {Scl(e.SclAfter)}";
            sb.Append($"<tr data-filter=\"{HtmlEncode(e.Filter)}\"><td>{i + 1}</td><td>{HtmlEncode(e.Filter)}</td><td>{HtmlEncode(e.Outcome)}</td>")
                .Append($"<td>{scl}</td><td>{e.ElapsedMicroseconds} µs</td><td>{HtmlEncode(words[i].Words)}</td></tr>");
        }

        sb.Append("</tbody></table><h2>Events</h2><table class=events><thead><tr><th>When (UTC)</th><th>Event</th><th>Detail</th>")
            .Append("<th>Gateway</th></tr></thead><tbody>")
            .Append($"<tr><td>{m.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>received</td><td>{HtmlEncode(m.Disposition)}, reply {m.ReplyCode}</td><td>{HtmlEncode(m.Node)}</td></tr>");
        foreach (var e in detail.Events.OrderBy(e => e.At))
        {
            sb.Append($"<tr><td>{e.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>{HtmlEncode(e.Kind)}</td>")
                .Append($"<td>{HtmlEncode(AdminPage.Shorten(e.Detail, 1000))}</td><td>{HtmlEncode(e.Node)}</td></tr>");
        }

        return sb.Append("</tbody></table>");
    }

    private static string Scl(int? scl) => scl?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static void Row(StringBuilder sb, string name, string value) =>
        sb.Append($"<tr><th>{name}</th><td>{HtmlEncode(AdminPage.Shorten(value, 2000))}</td></tr>");

    private static void Field(StringBuilder sb, string label, string name, IQueryCollection q, string type = "text") =>
        sb.Append($"<label>{label} <input name={name} type={type} value=\"{HtmlEncode(q[name].ToString())}\"></label> ");
}
