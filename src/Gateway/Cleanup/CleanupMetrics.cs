using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Cleanup;

/// <summary>The cleanup stage's instruments (Meter <c>MailGateway.Cleanup</c>), exported at /metrics.</summary>
public sealed class CleanupMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Cleanup";

    private readonly Meter _meter;
    private readonly Counter<long> _removed;

    public CleanupMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _removed = _meter.CreateCounter<long>("mailgateway.cleanup.removed_headers",
            description: "Header fields from outside removed by the cleanup stage");
    }

    public void Removed(int count) => _removed.Add(count);

    public void Dispose() => _meter.Dispose();
}
