using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>The relay queue's instruments, on the meter <c>MailGateway.Relay</c>.</summary>
public sealed class RelayMetrics
{
    /// <summary>The meter name to subscribe to (OpenTelemetry <c>AddMeter</c>, dotnet-counters).</summary>
    public const string MeterName = "MailGateway.Relay";

    private readonly UpDownCounter<long> _queueLength;
    private readonly Counter<long> _relayed;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _bounced;
    private readonly Histogram<double> _latency;

    public RelayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _queueLength = meter.CreateUpDownCounter<long>("mailgateway.relay.queue_length", "{message}",
            "Messages in the relay queue (accepted, not yet delivered or bounced).");
        _relayed = meter.CreateCounter<long>("mailgateway.relay.messages_relayed", "{message}",
            "Messages a next hop accepted with 250 (once per hop and message).");
        _deferred = meter.CreateCounter<long>("mailgateway.relay.messages_deferred", "{message}",
            "Delivery attempts that failed transiently and were rescheduled.");
        _bounced = meter.CreateCounter<long>("mailgateway.relay.messages_bounced", "{message}",
            "Delivery status notifications queued for permanently failed or expired recipients.");
        _latency = meter.CreateHistogram<double>("mailgateway.relay.delivery_latency", "s",
            "Time from the gateway's 250 to the next hop's 250.");
    }

    public void Queued(int count = 1) => _queueLength.Add(count);

    public void Dequeued() => _queueLength.Add(-1);

    public void Relayed(TimeSpan sinceReceived)
    {
        _relayed.Add(1);
        _latency.Record(sinceReceived.TotalSeconds);
    }

    public void Deferred() => _deferred.Add(1);

    public void Bounced() => _bounced.Add(1);
}
