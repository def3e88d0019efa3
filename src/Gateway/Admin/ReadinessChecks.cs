using MailGateway.Filters.Antivirus;
using MailGateway.Filters.Model;
using MailGateway.Gateway.Delivery;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// What /readyz checks: clamd answers PING (when antivirus is on), the model is loaded, storage is writable, and any
/// extra check another component registers (e.g. the relay queue below its limit).
/// </summary>
public sealed class ReadinessChecks(AntivirusScanner antivirus, SclScorerHost model, StorageLayout layout,
    IEnumerable<IReadinessCheck> extra)
{
    public async Task<IReadOnlyDictionary<string, (bool Ok, string Detail)>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, (bool, string)>();
        if (antivirus.IsEnabled)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var pong = await antivirus.PingAsync(timeout.Token);
            results["clamd"] = (pong, pong ? "PONG" : "no answer to PING");
        }
        else
        {
            results["clamd"] = (true, "antivirus disabled");
        }

        results["model"] = model.Scorer is { } s ? (true, s.Model.Id) : (false, $"no model at {model.Path}");
        results["storage"] = StorageWritable();
        foreach (var check in extra)
        {
            results[check.Name] = await check.CheckAsync(cancellationToken);
        }

        return results;
    }

    private (bool, string) StorageWritable()
    {
        try
        {
            var probe = Path.Combine(layout.Root, $".ready-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return (true, layout.Root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (false, ex.Message);
        }
    }
}

/// <summary>A readiness condition contributed by a component.</summary>
public interface IReadinessCheck
{
    string Name { get; }

    Task<(bool Ok, string Detail)> CheckAsync(CancellationToken cancellationToken);
}
