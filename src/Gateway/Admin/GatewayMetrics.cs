using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// What became of each message (Meter <c>MailGateway.Messages</c>): messages by route and the SCL distribution.
/// Exported at /metrics with the SMTP, antivirus, filter and relay meters.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Messages";

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Histogram<int> _scl;

    public GatewayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _messages = _meter.CreateCounter<long>("mailgateway.messages", description: "Messages by route (inbox, junk, archive, rejected, ...)");
        _scl = _meter.CreateHistogram<int>("mailgateway.scl", description: "SCL of scored messages",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    }

    public void Message(string route, int? scl)
    {
        _messages.Add(1, new KeyValuePair<string, object?>("route", route));
        if (scl is { } s)
        {
            _scl.Record(s);
        }
    }

    public void Dispose() => _meter.Dispose();
}
