using System.Diagnostics.Metrics;

namespace MailGateway.Gateway.Dnsbl;

/// <summary>The DNS lists' instruments (Meter <c>MailGateway.Dnsbl</c>).</summary>
public sealed class DnsblMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Dnsbl";

    private readonly Meter _meter;
    private readonly Counter<long> _blocked;
    private readonly Counter<long> _scored;

    public DnsblMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _blocked = _meter.CreateCounter<long>("mailgateway.dnsbl.blocked", description: "Recipients refused for a listed client, by heaviest zone");
        _scored = _meter.CreateCounter<long>("mailgateway.dnsbl.scored", description: "Messages from a client listed below the reject weight whose SCL was raised, by heaviest zone");
    }

    public void Blocked(string zone) => _blocked.Add(1, new KeyValuePair<string, object?>("zone", zone));

    public void Scored(string zone) => _scored.Add(1, new KeyValuePair<string, object?>("zone", zone));

    public void Dispose() => _meter.Dispose();
}
