using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// Runs relay delivery as Postfix's parts: <see cref="RelayRecovery"/> at start (before the listener accepts), the
/// <see cref="RelayScheduler"/>'s timer loop, and <c>Relay:MaxConnections</c> <see cref="RelayDeliveryAgent"/>
/// loops; DSNs come from <see cref="RelayBouncer"/>.
/// </summary>
public sealed class RelayWorker(
    RelayRecovery recovery,
    RelayScheduler scheduler,
    RelayDeliveryAgent agent,
    IOptions<RelayOptions> relayOptions,
    ILogger<RelayWorker> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = relayOptions.Value;
        recovery.Recover();
        _tasks.Add(Task.Run(() => scheduler.RunAsync(_stopping.Token)));
        for (var i = 0; i < options.MaxConnections; i++)
        {
            _tasks.Add(Task.Run(() => agent.RunAsync(_stopping.Token)));
        }

        logger.LogInformation("Relay delivery started: {Workers} connections, smart host {SmartHost}, {RouteCount} routes, TLS {Tls}",
            options.MaxConnections, options.SmartHost, options.Routes.Count, options.Tls);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_tasks).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
