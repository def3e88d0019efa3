using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The archive (Exchange IMF style): one <c>&lt;id&gt;.eml</c> per message under <c>archive/&lt;yyyy-MM-dd&gt;/</c>,
/// written to a temporary name, made durable, renamed into place and the rename made durable (<see cref="DurableStorage"/>).
/// </summary>
public sealed class ArchiveStore(StorageLayout layout, DurableStorage durable, ILogger<ArchiveStore> logger)
{
    /// <summary>Stores the message in the archive, or in the virus archive when <paramref name="virus"/>.</summary>
    public async Task<string> StoreAsync(MessageContent content, DateTimeOffset receivedAt, bool virus,
        CancellationToken cancellationToken)
    {
        var dayRoot = virus ? layout.VirusArchiveRoot : layout.ArchiveRoot;
        var day = StorageLayout.ArchiveDay(dayRoot, receivedAt);
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
                await durable.ContentWrittenAsync(file, cancellationToken);
            }

            File.Move(tmp, final);
            await durable.NamesChangedAsync([day, dayRoot]);
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
