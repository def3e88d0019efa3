using MailGateway.Gateway.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The addresses Kestrel actually bound, checked once it listens: <c>Admin:Url</c> may list several, and
/// <c>Kestrel:Endpoints</c> from any configuration source (a <c>MAILGW_Kestrel__…</c> variable) replaces it, so the
/// configuration alone cannot say whether the port is off loopback. The check runs in the host's "started" phase,
/// after Kestrel has bound and before the host's start returns, so a failure fails the start like any configuration
/// error; no admin request is served before it has passed (<see cref="AdminRequestGuard"/>).
/// </summary>
public sealed class AdminBindings(IServer server, IOptions<AdminOptions> options) : IHostedLifecycleService
{
    private readonly TaskCompletionSource<bool> _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes with true once the bound addresses passed, false if they failed. A request that arrives between
    /// Kestrel's bind and the check waits for it rather than getting a spurious 503.
    /// </summary>
    public Task<bool> Checked => _checked.Task;

    /// <summary>Throws <see cref="ConfigurationErrorException"/> when an address is off loopback and no token is set.</summary>
    public void Verify()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var offLoopback = addresses.Where(a => !AdminOptions.IsLoopbackUrl(a)).ToList();
        if (offLoopback.Count > 0 && string.IsNullOrWhiteSpace(options.Value.Token))
        {
            _checked.TrySetResult(false);
            throw new ConfigurationErrorException(
                [$"Admin:Token: required when the admin port listens off loopback (bound: {string.Join(", ", addresses)})"]);
        }

        _checked.TrySetResult(true);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        Verify();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // A start that failed before the check: requests still waiting get their 503.
        _checked.TrySetResult(false);
        return Task.CompletedTask;
    }
}
