using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Runs once at start, before the listener: removes what a crash can leave behind (files in every Maildir tmp/, the
/// archive's temporary folder and the spool). None of it was ever acknowledged to a client. The archive may be a folder
/// several gateways share (docs/admin.md): in its temporary folder only files untouched for an hour go, never one
/// another gateway is writing.
/// </summary>
public sealed class StorageJanitor(StorageLayout layout, ILogger<StorageJanitor> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(layout.MailRoot);
        var removed = 0;
        removed += EmptyFolder(layout.SpoolDirectory);
        removed += EmptyFolder(layout.ArchiveTemp, TimeSpan.FromHours(1));
        foreach (var mailbox in Directory.EnumerateDirectories(layout.MailRoot))
        {
            removed += EmptyFolder(Path.Combine(mailbox, "tmp"));
            removed += EmptyFolder(Path.Combine(mailbox, ".Junk", "tmp"));
        }

        logger.LogInformation("Storage ready at {StorageRoot}; removed {StaleFiles} stale temporary files",
            layout.Root, removed);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static int EmptyFolder(string folder, TimeSpan? untouchedFor = null)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var n = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (untouchedFor is { } age && File.GetLastWriteTimeUtc(file) > DateTime.UtcNow - age)
            {
                continue;
            }

            File.Delete(file);
            n++;
        }

        return n;
    }
}
