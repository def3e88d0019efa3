using System.Diagnostics.Metrics;

namespace MailGateway.Filters.Authentication;

/// <summary>
/// Sender authentication results (Meter <c>MailGateway.Authentication</c>): one count per method and result
/// (<c>mailgateway_auth_results_total{method="spf",result="pass"}</c>), and DMARC's actions.
/// </summary>
public sealed class AuthenticationMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Authentication";

    private readonly Meter _meter;
    private readonly Counter<long> _results;
    private readonly Counter<long> _actions;

    public AuthenticationMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _results = _meter.CreateCounter<long>("mailgateway.auth.results", description: "SPF, DKIM, ARC and DMARC results");
        _actions = _meter.CreateCounter<long>("mailgateway.dmarc.actions",
            description: "What DMARC did to a message: reject, quarantine, none, or an override");
    }

    public void Result(string method, string result) => _results.Add(1,
        new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("result", result));

    public void Action(string action) => _actions.Add(1, new KeyValuePair<string, object?>("action", action));

    public void Dispose() => _meter.Dispose();
}
