using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Tracking's instruments on the meter <c>MailGateway.Tracking</c>: writes stored, and writes dropped (the gap) by
/// reason: <c>queue_full</c> (the database fell behind), <c>store_error</c> (a write it refused), <c>disabled</c>
/// (tracking turned itself off after a start it could not recover from).
/// </summary>
public sealed class TrackingMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Tracking";

    private readonly Meter _meter;
    private readonly Counter<long> _written;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _failedBatches;

    public TrackingMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _written = _meter.CreateCounter<long>("mailgateway.tracking.written", "{write}", "Tracking writes stored in the database.");
        _dropped = _meter.CreateCounter<long>("mailgateway.tracking.dropped", "{write}",
            "Tracking writes lost (the gap): the queue was full, the database refused them, or tracking is off after a failed start.");
        _failedBatches = _meter.CreateCounter<long>("mailgateway.tracking.failed_batches", "{batch}",
            "Batches the database did not take (kept and retried until it answers).");
    }

    public void Written(int count) => _written.Add(count);

    public void Dropped(string reason, int count = 1) =>
        _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void BatchFailed() => _failedBatches.Add(1);

    public void Dispose() => _meter.Dispose();
}
