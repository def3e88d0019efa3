using System.Diagnostics.Metrics;

namespace MailGateway.Filters.Smime;

/// <summary>S/MIME results (Meter <c>MailGateway.Smime</c>): signed messages by result, encrypted messages by action.</summary>
public sealed class SmimeMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Smime";

    private readonly Meter _meter;
    private readonly Counter<long> _signatures;
    private readonly Counter<long> _encrypted;

    public SmimeMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _signatures = _meter.CreateCounter<long>("mailgateway.smime.messages", "{message}",
            "Messages by S/MIME signature result (pass, fail, none)");
        _encrypted = _meter.CreateCounter<long>("mailgateway.smime.encrypted", "{message}",
            "S/MIME encrypted messages, not scannable, by the action taken");
    }

    public void Result(string result) => _signatures.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Encrypted(SmimeEncryptedAction action) =>
        _encrypted.Add(1, new KeyValuePair<string, object?>("action", action.ToString().ToLowerInvariant()));

    public void Dispose() => _meter.Dispose();
}
