using System.Diagnostics.Metrics;

namespace MailGateway.Filters.Dns;

/// <summary>The resolver's instruments (Meter <c>MailGateway.Dns</c>): lookups by type and status, and their time.</summary>
public sealed class DnsMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Dns";

    private readonly Meter _meter;
    private readonly Counter<long> _lookups;
    private readonly Histogram<double> _seconds;

    public DnsMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _lookups = _meter.CreateCounter<long>("mailgateway.dns.lookups", description: "DNS lookups by type and status");
        _seconds = _meter.CreateHistogram<double>("mailgateway.dns.lookup_seconds", unit: "s",
            description: "Time of one DNS lookup (cache hits included)");
    }

    public void Lookup(string type, DnsLookupStatus status, TimeSpan elapsed)
    {
        _lookups.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("status", status.ToString()));
        _seconds.Record(elapsed.TotalSeconds);
    }

    public void Dispose() => _meter.Dispose();
}
