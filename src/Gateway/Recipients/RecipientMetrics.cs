using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Recipients;

/// <summary>Recipient verification's instruments (Meter <c>MailGateway.Recipients</c>).</summary>
public sealed class RecipientMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Recipients";

    private readonly Meter _meter;
    private readonly Counter<long> _unknown;
    private readonly Counter<long> _callouts;

    public RecipientMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _unknown = _meter.CreateCounter<long>("mailgateway.recipients.unknown", description: "Recipients refused as unknown, by source");
        _callouts = _meter.CreateCounter<long>("mailgateway.recipients.callouts",
            description: "Callouts to the next hop by result (valid, unknown, unavailable) and cache use");
    }

    public void Unknown(string source) => _unknown.Add(1, new KeyValuePair<string, object?>("source", source));

    public void Callout(string result, bool cached) => _callouts.Add(1,
        new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("cached", cached));

    public void Dispose() => _meter.Dispose();
}
