using System.Globalization;
using System.Text;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Hosting;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Tracking;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static System.Net.WebUtility;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// Threshold tuning from real traffic: the SCL and BCL histograms of the last N days from the tracking store, with the
/// messages an administrator released as ham or marked as spam drawn on them, and for proposed junk / archive / bulk
/// thresholds how many messages would have gone elsewhere, per direction. Applying writes config/thresholds.json
/// (<see cref="ThresholdsFileWriter"/>); the page always shows what the file says, so a hand edit shows up here.
/// </summary>
public static class ThresholdsPage
{
    public static void Map(WebApplication app)
    {
        var path = ConfigurationSources.ThresholdsPath(app.Configuration);
        app.MapGet("/thresholds", async (HttpContext http, ITrackingStore store, IAntiforgery antiforgery, CancellationToken ct) =>
            AdminPage.Html(await RenderAsync(http, path, store, antiforgery, ct)));
        app.MapPost("/thresholds", async (HttpContext http, IAntiforgery antiforgery, IOptions<AdminOptions> options,
            ILoggerFactory loggers, CancellationToken ct) =>
        {
            var logger = loggers.CreateLogger(typeof(ThresholdsPage));
            if (await AdminForm.RefusedAsync(http, antiforgery, options.Value, logger, "thresholds", path) is { } refused)
            {
                return refused;
            }

            var form = await http.Request.ReadFormAsync(ct);
            var (current, errors) = ThresholdsFile.LoadAll(path);
            if (current is null)
            {
                return Results.Redirect("/thresholds?notice=" + Uri.EscapeDataString("the file is not valid now, fix it by hand first: " + string.Join("; ", errors)));
            }

            if (!int.TryParse(form["junk"], out var junk) || !int.TryParse(form["archive"], out var archive)
                || !int.TryParse(form["bulk"], out var bulk))
            {
                return Results.Redirect("/thresholds?notice=" + Uri.EscapeDataString("junk, archive and bulk must be whole numbers"));
            }

            var proposed = new RoutingThresholds(
                new SclOptions { JunkThreshold = junk, ArchiveThreshold = archive, RejectThreshold = current.Scl.RejectThreshold },
                new BulkOptions { Threshold = bulk });
            var refusedBy = await ThresholdsFileWriter.WriteAsync(path, proposed, ct);
            var outcome = refusedBy.Count == 0 ? $"{current} -> {proposed}" : "refused: " + string.Join("; ", refusedBy);
            AdminForm.Log(logger, http, options.Value, "thresholds", path, outcome);
            return Results.Redirect("/thresholds?notice=" + Uri.EscapeDataString(refusedBy.Count == 0
                ? $"written to {path}: {proposed} (was {current}); the gateways pick it up within seconds"
                : "not written: " + string.Join("; ", refusedBy)));
        });
    }

    private static async Task<StringBuilder> RenderAsync(HttpContext http, string path, ITrackingStore store,
        IAntiforgery antiforgery, CancellationToken ct)
    {
        var q = http.Request.Query;
        var sb = AdminPage.Start("Thresholds");
        AdminPage.Notice(sb, q);
        var (current, errors) = ThresholdsFile.LoadAll(path);
        if (current is null)
        {
            sb.Append($"<p class=error>{HtmlEncode(path)} is not valid: {HtmlEncode(string.Join("; ", errors))}. ")
                .Append("The gateways keep the last good thresholds; fix the file by hand.</p>");
            return sb;
        }

        var days = Math.Clamp(int.TryParse(q["days"], out var d) ? d : 7, 1, 365);
        var proposed = new SclOptions
        {
            JunkThreshold = int.TryParse(q["junk"], out var j) ? j : current.Scl.JunkThreshold,
            ArchiveThreshold = int.TryParse(q["archive"], out var a) ? a : current.Scl.ArchiveThreshold,
            RejectThreshold = current.Scl.RejectThreshold,
        };
        var proposedBulk = int.TryParse(q["bulk"], out var b) ? b : current.Bulk.Threshold;

        sb.Append($"<p>In force (from <code>{HtmlEncode(path)}</code>): <b class=current>{HtmlEncode(current.ToString())}</b>. ")
            .Append("Below junk: inbox; junk to archive: junk folder; archive to reject: archive only; reject and above: refused.</p>");
        sb.Append("<form method=get class=filters>")
            .Append($"<label>Days <input name=days type=number min=1 max=365 value={days}></label> ")
            .Append($"<label>Junk at <input name=junk type=number min=-1 max=10 value={proposed.JunkThreshold}></label> ")
            .Append($"<label>Archive at <input name=archive type=number min=-1 max=10 value={proposed.ArchiveThreshold}></label> ")
            .Append($"<label>Bulk at <input name=bulk type=number min=0 max=10 value={proposedBulk}></label> ")
            .Append("<button type=submit>Show the effect</button></form>");

        IReadOnlyList<ScoreBucket> scl, bcl;
        try
        {
            scl = await store.SclHistogramAsync(days, ct);
            bcl = await store.BclHistogramAsync(days, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return sb.Append($"<p class=error>Tracking store unavailable: {HtmlEncode(ex.Message)}</p>");
        }

        var sclCounts = scl.ToDictionary(x => x.Score, x => x.Messages);
        var moves = ThresholdImpact.Moves(sclCounts, current.Scl, proposed);
        sb.Append("<h2>What the proposed thresholds would have done</h2><table class=moves><thead><tr><th>From</th><th>To</th>")
            .Append("<th>Messages</th></tr></thead><tbody>");
        foreach (var (from, to, count) in moves)
        {
            sb.Append($"<tr data-from=\"{Name(from)}\" data-to=\"{Name(to)}\"><td>{Name(from)}</td><td>{Name(to)}</td><td class=moved>{count}</td></tr>");
        }

        if (moves.Count == 0)
        {
            sb.Append("<tr><td colspan=3>no message would have moved</td></tr>");
        }

        var (toJunk, backFromJunk) = ThresholdImpact.BulkMoves(bcl.ToDictionary(x => x.Score, x => x.Messages), current.Bulk.Threshold, proposedBulk);
        sb.Append("</tbody></table>")
            .Append($"<p class=bulk-moves>Bulk threshold {current.Bulk.Threshold} → {proposedBulk}: <span data-direction=up>{toJunk}</span> message(s) ")
            .Append($"would newly count as bulk, <span data-direction=down>{backFromJunk}</span> would no longer (those the SCL keeps out of the inbox stay where they are).</p>");

        if (proposed.JunkThreshold != current.Scl.JunkThreshold || proposed.ArchiveThreshold != current.Scl.ArchiveThreshold
            || proposedBulk != current.Bulk.Threshold)
        {
            sb.Append("<form method=post action=\"/thresholds\">").Append(AdminForm.TokenField(http, antiforgery))
                .Append($"<input type=hidden name=junk value={proposed.JunkThreshold}><input type=hidden name=archive value={proposed.ArchiveThreshold}>")
                .Append($"<input type=hidden name=bulk value={proposedBulk}>")
                .Append($"<button type=submit>Apply junk {proposed.JunkThreshold}, archive {proposed.ArchiveThreshold}, bulk {proposedBulk}</button></form>");
        }

        var rules = new List<(double, string)>();
        Rule(rules, proposed.JunkThreshold, -1, "junk " + proposed.JunkThreshold);
        Rule(rules, proposed.ArchiveThreshold, -1, "archive " + proposed.ArchiveThreshold);
        sb.Append($"<h2>SCL, last {days} day(s)</h2><p>Bars: messages per SCL, coloured by the route under the proposed thresholds ")
            .Append("(dashed lines); dots: how many of them were released as ham or marked as spam.</p>")
            .Append(SvgCharts.Columns("SCL histogram", Columns(scl, -1, 9, score => Name(SclRouter.RouteForScl(proposed, score))), 720, 240, rules: rules))
            .Append(Table("scl", scl, -1, 9, score => $"{Name(SclRouter.RouteForScl(current.Scl, score))}</td><td>{Name(SclRouter.RouteForScl(proposed, score))}"));
        var bulkRules = new List<(double, string)>();
        Rule(bulkRules, proposedBulk, 0, "bulk " + proposedBulk);
        sb.Append($"<h2>BCL, last {days} day(s)</h2>")
            .Append(SvgCharts.Columns("BCL histogram", Columns(bcl, 0, 9, score => score >= proposedBulk ? "junk" : "inbox"), 720, 240, rules: bulkRules))
            .Append(Table("bcl", bcl, 0, 9, score => $"{(score >= current.Bulk.Threshold ? "bulk" : "-")}</td><td>{(score >= proposedBulk ? "bulk" : "-")}"));
        return sb;
    }

    private static void Rule(List<(double, string)> rules, int threshold, int lowest, string label)
    {
        if (threshold is > -1 and < 10)
        {
            rules.Add((threshold - lowest, label));
        }
    }

    private static List<ChartColumn> Columns(IReadOnlyList<ScoreBucket> buckets, int from, int to, Func<int, string> series) =>
        Enumerable.Range(from, to - from + 1).Select(score =>
        {
            var bucket = buckets.FirstOrDefault(x => x.Score == score);
            return new ChartColumn(score.ToString(CultureInfo.InvariantCulture), [(series(score), bucket?.Messages ?? 0)],
                [("ham", (int)(bucket?.ReleasedAsHam ?? 0)), ("spam", (int)(bucket?.MarkedAsSpam ?? 0))]);
        }).ToList();

    private static string Table(string kind, IReadOnlyList<ScoreBucket> buckets, int from, int to, Func<int, string> routes)
    {
        var sb = new StringBuilder($"<table class=\"histogram {kind}\"><thead><tr><th>{kind.ToUpperInvariant()}</th><th>Messages</th>")
            .Append("<th>Released as ham</th><th>Marked as spam</th><th>Now</th><th>Proposed</th></tr></thead><tbody>");
        foreach (var score in Enumerable.Range(from, to - from + 1))
        {
            var bucket = buckets.FirstOrDefault(x => x.Score == score);
            sb.Append($"<tr data-score=\"{score}\"><td>{score}</td><td class=messages>{bucket?.Messages ?? 0}</td>")
                .Append($"<td class=ham>{bucket?.ReleasedAsHam ?? 0}</td><td class=spam>{bucket?.MarkedAsSpam ?? 0}</td><td>{routes(score)}</td></tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }

    private static string Name(MessageRoute route) => route.ToString().ToLowerInvariant();
}
