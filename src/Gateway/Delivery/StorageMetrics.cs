using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The durable-storage instruments, on the meter <c>MailGateway.Storage</c>: how long each group-committed sync took
/// and how many waiting requests it covered, by kind (<c>syncfs</c> or <c>fsync-directory</c>). A sync time that grows
/// with the load is the first sign that the storage file system is shared with busy writers (README, Storage:Sync).
/// </summary>
public static class StorageMetrics
{
    /// <summary>The meter name to subscribe to (OpenTelemetry <c>AddMeter</c>, dotnet-counters).</summary>
    public const string MeterName = "MailGateway.Storage";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> SyncDuration = Meter.CreateHistogram<double>(
        "mailgateway.storage.sync_duration", "s", "Duration of one durable sync (syncfs of a file system or fsync of a directory).");

    private static readonly Histogram<long> SyncRequests = Meter.CreateHistogram<long>(
        "mailgateway.storage.sync_requests", "{request}", "Waiting requests one group-committed sync covered.");

    public static void Synced(string kind, TimeSpan elapsed, long requests)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        SyncDuration.Record(elapsed.TotalSeconds, tag);
        SyncRequests.Record(requests, tag);
    }
}
