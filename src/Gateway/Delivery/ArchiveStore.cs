using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The archive (Exchange IMF style): one <c>&lt;id&gt;.eml</c> per message under <c>archive/&lt;yyyy-MM-dd&gt;/</c>,
/// written to a temporary name, fsynced, renamed into place and the folder fsynced.
/// </summary>
public sealed class ArchiveStore(StorageLayout layout, DirectorySync directorySync, ILogger<ArchiveStore> logger)
{
    /// <summary>Stores the message; <paramref name="subfolder"/> (e.g. <c>virus</c>) goes between archive/ and the day.</summary>
    public async Task<string> StoreAsync(MessageContent content, DateTimeOffset receivedAt, string? subfolder,
        CancellationToken cancellationToken)
    {
        var dayRoot = subfolder is null ? layout.ArchiveRoot : Path.Combine(layout.ArchiveRoot, subfolder);
        var day = Path.Combine(dayRoot, receivedAt.UtcDateTime.ToString("yyyy-MM-dd"));
        Directory.CreateDirectory(day);
        Directory.CreateDirectory(layout.ArchiveTemp);
        var tmp = Path.Combine(layout.ArchiveTemp, content.Id + ".eml");
        var final = Path.Combine(day, content.Id + ".eml");
        try
        {
            await using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             64 * 1024, FileOptions.Asynchronous))
            {
                await content.WriteToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(tmp, final);
            await directorySync.SyncAsync(day);
            await directorySync.SyncAsync(dayRoot);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }

        logger.LogDebug("Archived {MessageId} at {Path}", content.Id, final);
        return final;
    }
}
