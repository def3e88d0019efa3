using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// What the dashboard shows of this process that the tracking store does not hold: viruses found, the relay queue and
/// each filter's latency. Listens to the same instruments /metrics exports (no second count in the code that measures);
/// created before the host starts so the relay queue read back at start is counted.
/// </summary>
public sealed class LiveMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, FilterLatency> _filters = new(StringComparer.Ordinal);
    private long _viruses;
    private long _relayQueue;
    private long _scanQueue;

    public LiveMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "mailgateway.filter.duration" or "mailgateway.antivirus.messages_infected"
                or "mailgateway.relay.queue_length" or "mailgateway.antivirus.queue_length")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "mailgateway.filter.duration")
            {
                var filter = "?";
                foreach (var tag in tags)
                {
                    if (tag.Key == "filter")
                    {
                        filter = tag.Value?.ToString() ?? "?";
                    }
                }

                _filters.GetOrAdd(filter, _ => new FilterLatency()).Add(value);
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "mailgateway.antivirus.messages_infected":
                    Interlocked.Add(ref _viruses, value);
                    break;
                case "mailgateway.relay.queue_length":
                    Interlocked.Add(ref _relayQueue, value);
                    break;
                case "mailgateway.antivirus.queue_length":
                    Interlocked.Add(ref _scanQueue, value);
                    break;
            }
        });
        _listener.Start();
    }

    public long VirusesFound => Interlocked.Read(ref _viruses);

    public long RelayQueueLength => Interlocked.Read(ref _relayQueue);

    public long ScansWaiting => Interlocked.Read(ref _scanQueue);

    /// <summary>Per filter: messages seen, mean and slowest time in milliseconds, since the process started.</summary>
    public IReadOnlyList<(string Filter, long Count, double MeanMs, double MaxMs)> FilterLatencies() =>
        _filters.Select(f => f.Value.Read(f.Key)).OrderByDescending(f => f.MeanMs).ToList();

    public void Dispose() => _listener.Dispose();

    private sealed class FilterLatency
    {
        private readonly Lock _lock = new();
        private long _count;
        private double _sum;
        private double _max;

        public void Add(double ms)
        {
            lock (_lock)
            {
                _count++;
                _sum += ms;
                _max = Math.Max(_max, ms);
            }
        }

        public (string Filter, long Count, double MeanMs, double MaxMs) Read(string name)
        {
            lock (_lock)
            {
                return (name, _count, _count == 0 ? 0 : _sum / _count, _max);
            }
        }
    }
}
