using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// Maps an SCL to a <see cref="MessageRoute"/> with the current thresholds from <c>config/thresholds.json</c>. At start a bad
/// file stops the gateway; while running, a changed file is re-read: a good set replaces the old one (logged
/// old → new), a bad set or a deleted file is refused with an error and the last good set stays in force.
/// </summary>
public sealed class SclRouter : IDisposable
{
    private readonly string _path;
    private readonly ILogger<SclRouter> _logger;
    private readonly PhysicalFileProvider _watcher;
    private readonly IDisposable _subscription;
    private volatile SclOptions _current;

    public SclRouter(string thresholdsPath, ILogger<SclRouter> logger)
    {
        _path = Path.GetFullPath(thresholdsPath);
        _logger = logger;
        var (options, errors) = ThresholdsFile.Load(_path);
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

    public SclOptions Current => _current;

    /// <summary>The route for a message's SCL; a message no spam filter scored (null) goes to the inbox.</summary>
    public MessageRoute RouteFor(int? scl)
    {
        var t = _current;
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
        // Only the start may fall back to the built-in defaults: a file deleted while running (or caught between
        // the two steps of a replace) keeps the thresholds in force, as the keyword and allow-list files do.
        if (!File.Exists(_path))
        {
            _logger.LogError("Thresholds file {ThresholdsFile} is missing; keeping {OldThresholds} until it is back",
                _path, _current.ToString());
            return;
        }

        var (candidate, errors) = ThresholdsFile.Load(_path);
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
