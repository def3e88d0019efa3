using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace MailGateway.Gateway.Admin;

/// <summary>One column of a chart: its label, its stacked parts (series name → value) and optional markers.</summary>
public sealed record ChartColumn(string Label, IReadOnlyList<(string Series, double Value)> Parts,
    IReadOnlyList<(string Marker, int Count)>? Markers = null);

/// <summary>
/// Charts drawn on the server as inline SVG: no script, no library, nothing fetched, so the console's strict CSP holds.
/// Each bar carries a &lt;title&gt; (the browser's tooltip) and data attributes with its exact value.
/// </summary>
public static class SvgCharts
{
    /// <summary>The colours of dispositions and routes, the same on every chart.</summary>
    public static string ColourOf(string series) => series switch
    {
        "inbox" => "#43a047",
        "junk" => "#fb8c00",
        "archive" => "#e53935",
        "reject" or "rejected" or "refuse" or "refused" => "#424242",
        "relay" => "#1e88e5",
        "virus" or "virus-archive" => "#6a1b9a",
        "ham" => "#00897b",
        "spam" => "#c62828",
        _ => "#90a4ae",
    };

    /// <summary>Stacked columns (messages per minute by disposition; the SCL histogram by route) with a legend.</summary>
    public static string Columns(string title, IReadOnlyList<ChartColumn> columns, int width = 640, int height = 220,
        int labelEvery = 1, IReadOnlyList<(double Position, string Label)>? rules = null)
    {
        const int left = 40, bottom = 28, top = 12;
        var plotWidth = width - left - 8;
        var plotHeight = height - bottom - top;
        var max = Math.Max(1, columns.Count == 0 ? 1 : columns.Max(c => c.Parts.Sum(p => p.Value)));
        var step = columns.Count == 0 ? plotWidth : (double)plotWidth / columns.Count;
        var sb = Open(title, width, height);
        Axis(sb, left, top, plotWidth, plotHeight, max);
        var series = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var x = left + i * step;
            var y = (double)top + plotHeight;
            foreach (var (name, value) in column.Parts)
            {
                if (!series.Contains(name))
                {
                    series.Add(name);
                }

                if (value <= 0)
                {
                    continue;
                }

                var h = value / max * plotHeight;
                y -= h;
                sb.Append($"<rect x=\"{F(x + step * .1)}\" y=\"{F(y)}\" width=\"{F(step * .8)}\" height=\"{F(h)}\" fill=\"{ColourOf(name)}\" ")
                    .Append($"data-column=\"{HtmlEncode(column.Label)}\" data-series=\"{HtmlEncode(name)}\" data-value=\"{F(value)}\">")
                    .Append($"<title>{HtmlEncode(column.Label)}: {F(value)} {HtmlEncode(name)}</title></rect>");
            }

            var markerY = y - 4;
            foreach (var (marker, count) in column.Markers ?? [])
            {
                if (count <= 0)
                {
                    continue;
                }

                if (!series.Contains(marker))
                {
                    series.Add(marker);
                }

                sb.Append($"<circle cx=\"{F(x + step / 2)}\" cy=\"{F(markerY)}\" r=\"4\" fill=\"{ColourOf(marker)}\" ")
                    .Append($"data-column=\"{HtmlEncode(column.Label)}\" data-marker=\"{HtmlEncode(marker)}\" data-value=\"{count}\">")
                    .Append($"<title>{HtmlEncode(column.Label)}: {count} {HtmlEncode(marker)}</title></circle>")
                    .Append($"<text x=\"{F(x + step / 2 + 6)}\" y=\"{F(markerY + 4)}\">{count}</text>");
                markerY -= 12;
            }

            if (i % Math.Max(1, labelEvery) == 0)
            {
                sb.Append($"<text x=\"{F(x + step / 2)}\" y=\"{height - bottom + 14}\" text-anchor=\"middle\">{HtmlEncode(column.Label)}</text>");
            }
        }

        foreach (var (position, label) in rules ?? [])
        {
            var x = left + position * step;
            sb.Append($"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{top}\" y2=\"{top + plotHeight}\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>")
                .Append($"<text x=\"{F(x + 3)}\" y=\"{top + 10}\">{HtmlEncode(label)}</text>");
        }

        sb.Append("</svg>");
        return Legend(series) + sb;
    }

    /// <summary>Horizontal bars, one per row (top senders, per-filter latency), with the value printed at the end.</summary>
    public static string Bars(string title, IReadOnlyList<(string Label, double Value)> rows, string unit, string colour = "#546e7a",
        int width = 640)
    {
        if (rows.Count == 0)
        {
            return "<p class=empty>none</p>";
        }

        const int rowHeight = 18, labelWidth = 230;
        var height = rows.Count * rowHeight + 6;
        var max = Math.Max(1e-9, rows.Max(r => r.Value));
        var barSpace = width - labelWidth - 90;
        var sb = Open(title, width, height);
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value) = rows[i];
            var y = 3 + i * rowHeight;
            var w = Math.Max(1, value / max * barSpace);
            sb.Append($"<text x=\"{labelWidth - 6}\" y=\"{y + 12}\" text-anchor=\"end\">{HtmlEncode(AdminPage.Shorten(label, 36))}</text>")
                .Append($"<rect x=\"{labelWidth}\" y=\"{y + 2}\" width=\"{F(w)}\" height=\"{rowHeight - 5}\" fill=\"{colour}\" ")
                .Append($"data-label=\"{HtmlEncode(AdminPage.Shorten(label, 300))}\" data-value=\"{F(value)}\">")
                .Append($"<title>{HtmlEncode(AdminPage.Shorten(label, 300))}: {F(value)} {HtmlEncode(unit)}</title></rect>")
                .Append($"<text x=\"{F(labelWidth + w + 4)}\" y=\"{y + 12}\">{F(value)} {HtmlEncode(unit)}</text>");
        }

        return sb.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string title, int width, int height) => new StringBuilder()
        .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"{HtmlEncode(title)}\" width=\"{width}\" height=\"{height}\" ")
        .Append($"viewBox=\"0 0 {width} {height}\"><title>{HtmlEncode(title)}</title>");

    private static void Axis(StringBuilder sb, int left, int top, int plotWidth, int plotHeight, double max)
    {
        sb.Append($"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plotHeight}\" stroke=\"#999\"/>")
            .Append($"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{top + plotHeight}\" y2=\"{top + plotHeight}\" stroke=\"#999\"/>")
            .Append($"<text x=\"{left - 4}\" y=\"{top + 8}\" text-anchor=\"end\">{F(max)}</text>")
            .Append($"<text x=\"{left - 4}\" y=\"{top + plotHeight}\" text-anchor=\"end\">0</text>");
    }

    private static string Legend(IEnumerable<string> series)
    {
        var sb = new StringBuilder("<div class=legend>");
        foreach (var s in series)
        {
            sb.Append($"<span><i class=swatch style=\"background:{ColourOf(s)}\"></i>{HtmlEncode(s)}</span>");
        }

        return sb.Append("</div>").ToString();
    }

    private static string F(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
