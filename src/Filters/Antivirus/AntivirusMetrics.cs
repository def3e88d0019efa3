using System.Diagnostics.Metrics;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The antivirus stage's instruments, on the meter <c>MailGateway.Antivirus</c>. Each mirrors a counter administrators
/// know from Exchange's virus scanning (VSAPI / anti-malware agent), named in brackets.
/// </summary>
public sealed class AntivirusMetrics
{
    /// <summary>The meter name to subscribe to (OpenTelemetry <c>AddMeter</c>, dotnet-counters).</summary>
    public const string MeterName = "MailGateway.Antivirus";

    private readonly Counter<long> _messagesScanned;
    private readonly Counter<long> _messagesInfected;
    private readonly Counter<long> _messagesArchived;
    private readonly Counter<long> _bytesScanned;
    private readonly Counter<long> _scanErrors;
    private readonly UpDownCounter<long> _queueLength;
    private readonly Histogram<double> _scanDuration;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public AntivirusMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _messagesScanned = meter.CreateCounter<long>("mailgateway.antivirus.messages_scanned", "{message}",
            "Messages clamd gave a verdict on [Messages Scanned].");
        _messagesInfected = meter.CreateCounter<long>("mailgateway.antivirus.messages_infected", "{message}",
            "Messages clamd found a signature in [Messages Containing Malware].");
        _messagesArchived = meter.CreateCounter<long>("mailgateway.antivirus.messages_archived", "{message}",
            "Infected messages stored in the virus archive [Messages Quarantined].");
        _bytesScanned = meter.CreateCounter<long>("mailgateway.antivirus.bytes_scanned", "By",
            "Message bytes streamed to clamd [Bytes Scanned].");
        _scanErrors = meter.CreateCounter<long>("mailgateway.antivirus.scan_errors", "{message}",
            "Messages that could not be scanned, by reason [Scan Errors].");
        _queueLength = meter.CreateUpDownCounter<long>("mailgateway.antivirus.queue_length", "{message}",
            "Scans in progress [Virus Scan Queue Length].");
        _scanDuration = meter.CreateHistogram<double>("mailgateway.antivirus.scan_duration", "s",
            "Time from connecting to clamd to its verdict, by result [Average Scan Time].");
    }

    /// <summary>Called by the gateway when it stores an infected message in the virus archive.</summary>
    public void RecordArchived() => _messagesArchived.Add(1);

    internal void ScanStarted() => _queueLength.Add(1);

    internal void ScanFinished(ScanVerdict verdict, long bytes, TimeSpan elapsed)
    {
        _queueLength.Add(-1);
        _bytesScanned.Add(bytes);
        string result;
        switch (verdict)
        {
            case CleanVerdict:
                result = "clean";
                _messagesScanned.Add(1);
                break;
            case InfectedVerdict:
                result = "infected";
                _messagesScanned.Add(1);
                _messagesInfected.Add(1);
                break;
            case FailedVerdict failed:
                result = "failed";
                _scanErrors.Add(1, new KeyValuePair<string, object?>("reason", failed.ReasonText));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(verdict));
        }

        _scanDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));
    }

    internal void ScanAbandoned() => _queueLength.Add(-1);
}
