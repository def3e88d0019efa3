using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// Maps an SCL (and a Bulk Complaint Level) to a <see cref="MessageRoute"/> with the current thresholds from
/// <c>config/thresholds.json</c>. At start a bad
/// file stops the gateway; while running, a changed file is re-read: a good set replaces the old one (logged
/// old → new), a bad set is refused with an error and the last good set stays in force.
/// </summary>
public sealed class SclRouter : IDisposable
{
    private readonly string _path;
    private readonly ILogger<SclRouter> _logger;
    private readonly PhysicalFileProvider _watcher;
    private readonly IDisposable _subscription;
    private volatile RoutingThresholds _current;

    public SclRouter(string thresholdsPath, ILogger<SclRouter> logger)
    {
        _path = Path.GetFullPath(thresholdsPath);
        _logger = logger;
        var (options, errors) = ThresholdsFile.LoadAll(_path);
        if (options is null)
        {
            throw new ConfigurationErrorException(errors);
        }

        _current = options;
        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        _watcher = new PhysicalFileProvider(directory) { UsePollingFileWatcher = true, UseActivePolling = true };
        _subscription = ChangeToken.OnChange(() => _watcher.Watch(Path.GetFileName(_path)), Reload);
        _logger.LogInformation("SCL thresholds {Thresholds} from {ThresholdsFile}", _current.ToString(), _path);
    }

    public SclOptions Current => _current.Scl;

    /// <summary>The bulk threshold in force.</summary>
    public BulkOptions CurrentBulk => _current.Bulk;

    /// <summary>
    /// The route for a message's SCL and BCL: by SCL, then a bulk message (BCL at or above <c>Bulk:Threshold</c>)
    /// that the SCL would put in the inbox goes to junk. A message no spam filter scored (null) goes to the inbox.
    /// </summary>
    public MessageRoute RouteFor(int? scl, int? bcl = null)
    {
        // Read once: a reload between the two checks must not mix old and new thresholds.
        var current = _current;
        var route = RouteForScl(current.Scl, scl);
        return route == MessageRoute.Inbox && bcl >= current.Bulk.Threshold && scl is not -1 ? MessageRoute.Junk : route;
    }

    private static MessageRoute RouteForScl(SclOptions t, int? scl)
    {
        if (scl is null)
        {
            return MessageRoute.Inbox;
        }

        if (scl >= t.RejectThreshold)
        {
            return MessageRoute.Reject;
        }

        if (scl >= t.ArchiveThreshold)
        {
            return MessageRoute.Archive;
        }

        return scl >= t.JunkThreshold ? MessageRoute.Junk : MessageRoute.Inbox;
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _watcher.Dispose();
    }

    private void Reload()
    {
        var (candidate, errors) = ThresholdsFile.LoadAll(_path);
        if (candidate is null)
        {
            _logger.LogError("Threshold change in {ThresholdsFile} refused, keeping {OldThresholds}: {Errors}", _path,
                _current.ToString(), string.Join("; ", errors));
            return;
        }

        var old = _current;
        if (old.ToString() == candidate.ToString())
        {
            return;
        }

        _current = candidate;
        _logger.LogInformation("SCL thresholds changed from {OldThresholds} to {NewThresholds}", old.ToString(),
            candidate.ToString());
    }
}
