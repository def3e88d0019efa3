using System.Diagnostics.Metrics;

namespace MailGateway.Filters.Chain;

/// <summary>Per-filter latency (Meter <c>MailGateway.Filters</c>), tagged with the filter's name and outcome class.</summary>
public sealed class FilterMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Filters";

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;

    public FilterMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _duration = _meter.CreateHistogram<double>("mailgateway.filter.duration", unit: "ms",
            description: "Time each filter spent on a message",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] });
        _errors = _meter.CreateCounter<long>("mailgateway.filter.errors", description: "Filters that threw");
    }

    public void Record(string filter, double milliseconds) =>
        _duration.Record(milliseconds, new KeyValuePair<string, object?>("filter", filter));

    public void Error(string filter) => _errors.Add(1, new KeyValuePair<string, object?>("filter", filter));

    public void Dispose() => _meter.Dispose();
}
