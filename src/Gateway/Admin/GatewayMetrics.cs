using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The gateway's own instruments (Meter <c>MailGateway.Smtp</c>): sessions, replies by code, messages by route and the
/// SCL distribution. Exported at /metrics with the antivirus, filter and relay meters.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Smtp";

    private readonly Meter _meter;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _messages;
    private readonly Histogram<int> _scl;
    private readonly UpDownCounter<long> _openSessions;

    public GatewayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _sessions = _meter.CreateCounter<long>("mailgateway.smtp.sessions", description: "SMTP sessions opened");
        _openSessions = _meter.CreateUpDownCounter<long>("mailgateway.smtp.sessions_open", description: "SMTP sessions open now");
        _replies = _meter.CreateCounter<long>("mailgateway.smtp.replies", description: "SMTP replies sent, by code");
        _messages = _meter.CreateCounter<long>("mailgateway.messages", description: "Messages by route (inbox, junk, archive, rejected, ...)");
        _scl = _meter.CreateHistogram<int>("mailgateway.scl", description: "SCL of scored messages",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    }

    public void SessionOpened()
    {
        _sessions.Add(1);
        _openSessions.Add(1);
    }

    public void SessionClosed() => _openSessions.Add(-1);

    public void Reply(int code) => _replies.Add(1, new KeyValuePair<string, object?>("code", code));

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
