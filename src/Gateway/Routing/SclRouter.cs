using MailGateway.Filters.Authentication;
using MailGateway.Filters.ConfigFiles;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// Maps an SCL to a <see cref="MessageRoute"/> with the current thresholds from <c>config/thresholds.json</c>. At start a bad
/// file stops the gateway and a missing one means the built-in defaults; while running, the file is re-read through the
/// shared <see cref="ReloadingFile{T}"/>: a good set replaces the old one (logged old → new), a bad set or a deleted
/// file is refused with an error and the last good set stays in force.
/// </summary>
public sealed class SclRouter : IJunkThreshold, IDisposable
{
    private readonly ReloadingFile<SclOptions> _file;
    private volatile bool _watching;

    public SclRouter(string thresholdsPath, ILogger<SclRouter> logger)
    {
        var path = Path.GetFullPath(thresholdsPath);
        var (options, errors) = ThresholdsFile.Load(path);
        if (options is null)
        {
            throw new ConfigurationErrorException(errors);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Polling: the thresholds are edited on bind mounts and shared volumes, where inotify sees nothing.
        var settings = new ReloadingFileSettings(TimeSpan.FromMilliseconds(100), UsePolling: true, TimeProvider.System);
        _file = ReloadingFile<SclOptions>.Open(path, bytes => ThresholdsFile.ParseOrThrow(bytes, path), options, settings,
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
        logger.LogInformation("SCL thresholds {Thresholds} from {ThresholdsFile}", Current.ToString(), path);
    }

    public SclOptions Current => _file.Current;

    /// <summary>The junk threshold in force: what DMARC's p=quarantine raises a message's SCL to.</summary>
    public int JunkThreshold => Current.JunkThreshold;

    /// <summary>The route for a message's SCL; a message no spam filter scored (null) goes to the inbox.</summary>
    public MessageRoute RouteFor(int? scl)
    {
        var t = Current;
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

    public void Dispose() => _file.Dispose();
}
