using MailGateway.Filters.Authentication;
using MailGateway.Filters.ConfigFiles;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// Maps an SCL (and a Bulk Complaint Level) to a <see cref="MessageRoute"/> with the current thresholds from
/// <c>config/thresholds.json</c>. At start a bad file stops the gateway and a missing one means the built-in defaults;
/// while running, the file is re-read through the shared <see cref="ReloadingFile{T}"/>: a good set replaces the old
/// one (logged old → new), a bad set or a deleted file is refused with an error and the last good set stays in force.
/// </summary>
public sealed class SclRouter : IJunkThreshold, IDisposable
{
    private readonly ReloadingFile<RoutingThresholds> _file;
    private volatile bool _watching;

    public SclRouter(string thresholdsPath, ILogger<SclRouter> logger)
    {
        var path = Path.GetFullPath(thresholdsPath);
        var (thresholds, errors) = ThresholdsFile.LoadAll(path);
        if (thresholds is null)
        {
            throw new ConfigurationErrorException(errors);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Polling: the thresholds are edited on bind mounts and shared volumes, where inotify sees nothing.
        var settings = new ReloadingFileSettings(TimeSpan.FromMilliseconds(100), UsePolling: true, TimeProvider.System);
        _file = ReloadingFile<RoutingThresholds>.Open(path, bytes => ThresholdsFile.ParseOrThrow(bytes, path), thresholds,
            settings,
            (old, next) =>
            {
                if (old.ToString() != next.ToString())
                {
                    logger.LogInformation("SCL thresholds changed from {OldThresholds} to {NewThresholds}",
                        old.ToString(), next.ToString());
                }
            },
            (old, exception) => logger.LogError("Threshold change in {ThresholdsFile} refused, keeping {OldThresholds}: {Errors}",
                path, old.ToString(), exception is ConfigFileException config ? config.Reason : exception.Message),
            old =>
            {
                // At start the defaults apply; later, a deleted file keeps what is in force.
                if (!_watching)
                {
                    return;
                }

                logger.LogError("Thresholds file {ThresholdsFile} is missing; keeping {OldThresholds} until it is back",
                    path, old.ToString());
            });
        _watching = true;
        logger.LogInformation("SCL thresholds {Thresholds} from {ThresholdsFile}", _file.Current.ToString(), path);
    }

    public SclOptions Current => _file.Current.Scl;

    /// <summary>The junk threshold in force: what DMARC's p=quarantine raises a message's SCL to.</summary>
    public int JunkThreshold => Current.JunkThreshold;

    /// <summary>The bulk threshold in force.</summary>
    public BulkOptions CurrentBulk => _file.Current.Bulk;

    /// <summary>
    /// The route for a message's SCL and BCL: by SCL, then a bulk message (BCL at or above <c>Bulk:Threshold</c>)
    /// that the SCL would put in the inbox goes to junk. A message no spam filter scored (null) goes to the inbox.
    /// </summary>
    public MessageRoute RouteFor(int? scl, int? bcl = null)
    {
        // Read once: a reload between the two checks must not mix old and new thresholds.
        var current = _file.Current;
        var route = RouteForScl(current.Scl, scl);
        return route == MessageRoute.Inbox && bcl >= current.Bulk.Threshold && scl is not -1 ? MessageRoute.Junk : route;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Where an SCL goes under thresholds <paramref name="t"/>, before the bulk rule (also what the console's tuning page replays).</summary>
    public static MessageRoute RouteForScl(SclOptions t, int? scl)
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
}
