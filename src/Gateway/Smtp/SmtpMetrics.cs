using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// The SMTP layer's instruments (Meter <c>MailGateway.Smtp</c>): sessions opened and open now, and every reply sent
/// by code (counted by <see cref="SmtpConnection"/> as each reply is queued). Exported at /metrics.
/// </summary>
public sealed class SmtpMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Smtp";

    private readonly Meter _meter;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _replies;
    private readonly UpDownCounter<long> _openSessions;

    public SmtpMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _sessions = _meter.CreateCounter<long>("mailgateway.smtp.sessions", description: "SMTP sessions opened");
        _openSessions = _meter.CreateUpDownCounter<long>("mailgateway.smtp.sessions_open", description: "SMTP sessions open now");
        _replies = _meter.CreateCounter<long>("mailgateway.smtp.replies", description: "SMTP replies sent, by code");
    }

    public void SessionOpened()
    {
        _sessions.Add(1);
        _openSessions.Add(1);
    }

    public void SessionClosed() => _openSessions.Add(-1);

    public void Reply(int code) => _replies.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Dispose() => _meter.Dispose();
}
