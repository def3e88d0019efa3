using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>The relay queue's instruments, on the meter <c>MailGateway.Relay</c>.</summary>
public sealed class RelayMetrics
{
    /// <summary>The meter name to subscribe to (OpenTelemetry <c>AddMeter</c>, dotnet-counters).</summary>
    public const string MeterName = "MailGateway.Relay";

    private readonly UpDownCounter<long> queueLength;
    private readonly Counter<long> relayed;
    private readonly Counter<long> deferred;
    private readonly Counter<long> bounced;
    private readonly Histogram<double> latency;

    public RelayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        queueLength = meter.CreateUpDownCounter<long>("mailgateway.relay.queue_length", "{message}",
            "Messages in the relay queue (accepted, not yet delivered or bounced).");
        relayed = meter.CreateCounter<long>("mailgateway.relay.messages_relayed", "{message}",
            "Messages a next hop accepted with 250 (once per hop and message).");
        deferred = meter.CreateCounter<long>("mailgateway.relay.messages_deferred", "{message}",
            "Delivery attempts that failed transiently and were rescheduled.");
        bounced = meter.CreateCounter<long>("mailgateway.relay.messages_bounced", "{message}",
            "Delivery status notifications queued for permanently failed or expired recipients.");
        latency = meter.CreateHistogram<double>("mailgateway.relay.delivery_latency", "s",
            "Time from the gateway's 250 to the next hop's 250.");
    }

    public void Queued(int count = 1) => queueLength.Add(count);

    public void Dequeued() => queueLength.Add(-1);

    public void Relayed(TimeSpan sinceReceived)
    {
        relayed.Add(1);
        latency.Record(sinceReceived.TotalSeconds);
    }

    public void Deferred() => deferred.Add(1);

    public void Bounced() => bounced.Add(1);
}
