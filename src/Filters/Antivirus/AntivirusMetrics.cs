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

    private readonly Counter<long> messagesScanned;
    private readonly Counter<long> messagesInfected;
    private readonly Counter<long> messagesArchived;
    private readonly Counter<long> bytesScanned;
    private readonly Counter<long> scanErrors;
    private readonly UpDownCounter<long> queueLength;
    private readonly Histogram<double> scanDuration;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public AntivirusMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        messagesScanned = meter.CreateCounter<long>("mailgateway.antivirus.messages_scanned", "{message}",
            "Messages clamd gave a verdict on [Messages Scanned].");
        messagesInfected = meter.CreateCounter<long>("mailgateway.antivirus.messages_infected", "{message}",
            "Messages clamd found a signature in [Messages Containing Malware].");
        messagesArchived = meter.CreateCounter<long>("mailgateway.antivirus.messages_archived", "{message}",
            "Infected messages stored in the virus archive [Messages Quarantined].");
        bytesScanned = meter.CreateCounter<long>("mailgateway.antivirus.bytes_scanned", "By",
            "Message bytes streamed to clamd [Bytes Scanned].");
        scanErrors = meter.CreateCounter<long>("mailgateway.antivirus.scan_errors", "{message}",
            "Messages that could not be scanned, by reason [Scan Errors].");
        queueLength = meter.CreateUpDownCounter<long>("mailgateway.antivirus.queue_length", "{message}",
            "Scans in progress [Virus Scan Queue Length].");
        scanDuration = meter.CreateHistogram<double>("mailgateway.antivirus.scan_duration", "s",
            "Time from connecting to clamd to its verdict, by result [Average Scan Time].");
    }

    /// <summary>Called by the gateway when it stores an infected message in the virus archive.</summary>
    public void RecordArchived() => messagesArchived.Add(1);

    internal void ScanStarted() => queueLength.Add(1);

    internal void ScanFinished(ScanVerdict verdict, long bytes, TimeSpan elapsed)
    {
        queueLength.Add(-1);
        bytesScanned.Add(bytes);
        string result;
        switch (verdict)
        {
            case CleanVerdict:
                result = "clean";
                messagesScanned.Add(1);
                break;
            case InfectedVerdict:
                result = "infected";
                messagesScanned.Add(1);
                messagesInfected.Add(1);
                break;
            case FailedVerdict failed:
                result = "failed";
                scanErrors.Add(1, new KeyValuePair<string, object?>("reason", failed.ReasonText));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(verdict));
        }

        scanDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));
    }

    internal void ScanAbandoned() => queueLength.Add(-1);
}
