using System.Globalization;
using System.Text;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static System.Net.WebUtility;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The dashboard at /: messages per minute by disposition, the SCL histogram in the colours of the route the current
/// thresholds give each score, the senders, domains and client networks with the most unwanted mail (from the tracking
/// store, so every gateway sharing it counts), and this gateway's viruses found, relay queue and per-filter latency
/// (<see cref="LiveMetrics"/>). Charts are inline SVG; the page reloads itself every 30 s without script.
/// </summary>
public static class DashboardPage
{
    public const int RefreshSeconds = 30;

    public static void Map(WebApplication app) =>
        app.MapGet("/", async (HttpContext http, ITrackingStore store, LiveMetrics live, SclRouter router, TimeProvider time,
            CancellationToken ct) => AdminPage.Html(await RenderAsync(http.Request.Query, store, live, router, time, ct)));

    private static async Task<StringBuilder> RenderAsync(IQueryCollection query, ITrackingStore store, LiveMetrics live,
        SclRouter router, TimeProvider time, CancellationToken ct)
    {
        var minutes = Math.Clamp(int.TryParse(query["minutes"], out var m) ? m : 60, 5, 24 * 60);
        var days = Math.Clamp(int.TryParse(query["days"], out var d) ? d : 1, 1, 365);
        var sb = AdminPage.Start("Dashboard", RefreshSeconds);
        sb.Append($"<p>Last {minutes} minutes per minute; histogram and top lists over the last {days} day(s). ")
            .Append($"Refreshes every {RefreshSeconds} s. <a href=\"/?minutes=60&days=1\">1 hour</a> · ")
            .Append("<a href=\"/?minutes=360&days=1\">6 hours</a> · <a href=\"/?minutes=1440&days=7\">1 day / 7 days</a></p>");
        sb.Append("<div class=grid>");

        try
        {
            var now = time.GetUtcNow();
            var end = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
            var start = end.AddMinutes(-minutes);
            var counts = await store.CountsPerMinuteAsync(start, end, ct);
            Card(sb, "Messages per minute by disposition", PerMinute(counts, start, minutes) +
                Totals(counts.GroupBy(c => c.Disposition).Select(g => (g.Key, g.Sum(c => c.Count)))) +
                $"<p>Viruses archived in these {minutes} minutes (all gateways): <b class=viruses-window>" +
                $"{counts.Where(c => c.Disposition == "virus-archive").Sum(c => c.Count)}</b></p>");

            var thresholds = router.Current;
            var histogram = await store.SclHistogramAsync(days, ct);
            var columns = Enumerable.Range(-1, 11).Select(scl =>
            {
                var bucket = histogram.FirstOrDefault(b => b.Score == scl);
                var route = SclRouter.RouteForScl(thresholds, scl).ToString().ToLowerInvariant();
                return new ChartColumn(scl.ToString(CultureInfo.InvariantCulture), [(route, bucket?.Messages ?? 0)],
                    [("ham", (int)(bucket?.ReleasedAsHam ?? 0)), ("spam", (int)(bucket?.MarkedAsSpam ?? 0))]);
            }).ToList();
            Card(sb, $"SCL histogram (colour: route under {thresholds})", SvgCharts.Columns("SCL histogram", columns, 560, 220));

            foreach (var (kind, title) in new[] { (TopKind.Sender, "Top blocked senders"), (TopKind.SenderDomain, "Top blocked domains"), (TopKind.ClientNetwork, "Top blocked client networks") })
            {
                var top = await store.TopAsync(kind, days, 10, ct);
                Card(sb, title, SvgCharts.Bars(title, top.Select(t => (t.Key, (double)t.Count)).ToList(), "msgs", "#c62828", 560));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            sb.Append($"<div class=\"card error\"><h2>Tracking store unavailable</h2><p>{HtmlEncode(ex.Message)}</p></div>");
        }

        Card(sb, "This gateway", "<table><tbody>" +
            $"<tr><th>Viruses found since start</th><td class=viruses>{live.VirusesFound}</td></tr>" +
            $"<tr><th>Relay queue</th><td class=relay-queue>{live.RelayQueueLength}</td></tr>" +
            $"<tr><th>Messages waiting for the virus scanner</th><td>{live.ScansWaiting}</td></tr></tbody></table>");
        var latencies = live.FilterLatencies();
        Card(sb, "Per-filter latency (mean since start)", SvgCharts.Bars("Per-filter latency",
            latencies.Select(l => (l.Filter, Math.Round(l.MeanMs, 3))).ToList(), "ms", "#546e7a", 560) +
            "<table class=latency><thead><tr><th>Filter</th><th>Messages</th><th>Mean ms</th><th>Slowest ms</th></tr></thead><tbody>" +
            string.Concat(latencies.Select(l => string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{HtmlEncode(l.Filter)}</td><td>{l.Count}</td><td>{l.MeanMs:0.###}</td><td>{l.MaxMs:0.###}</td></tr>"))) +
            "</tbody></table>");
        return sb.Append("</div>");
    }

    private static string PerMinute(IReadOnlyList<DispositionCount> counts, DateTimeOffset start, int minutes)
    {
        var byMinute = counts.GroupBy(c => c.Minute).ToDictionary(g => g.Key, g => g.ToList());
        var order = new[] { "inbox", "junk", "archive", "virus-archive", "rejected" };
        var series = counts.Select(c => c.Disposition).Distinct().OrderBy(s => Array.IndexOf(order, s) is var i && i < 0 ? 99 : i).ToList();
        var columns = Enumerable.Range(0, minutes).Select(i =>
        {
            var minute = start.AddMinutes(i);
            var rows = byMinute.GetValueOrDefault(minute) ?? [];
            return new ChartColumn(minute.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture),
                series.Select(s => (s, (double)rows.Where(r => r.Disposition == s).Sum(r => r.Count))).ToList());
        }).ToList();
        return SvgCharts.Columns("Messages per minute by disposition", columns, 560, 220, labelEvery: Math.Max(1, minutes / 6));
    }

    private static string Totals(IEnumerable<(string Disposition, long Count)> totals) =>
        "<p class=totals>" + string.Join(" · ", totals.OrderByDescending(t => t.Count)
            .Select(t => $"<span data-disposition=\"{HtmlEncode(t.Disposition)}\">{HtmlEncode(t.Disposition)}: {t.Count}</span>")) + "</p>";

    private static void Card(StringBuilder sb, string title, string content) =>
        sb.Append($"<section class=card><h2>{HtmlEncode(title)}</h2>").Append(content).Append("</section>");
}
