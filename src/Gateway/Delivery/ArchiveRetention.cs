using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery;

/// <summary>With <c>Archive:RetentionDays</c> above 0, removes archive days past it: at start, then every <c>Archive:SweepInterval</c>.</summary>
public sealed class ArchiveRetention(ArchiveDeletion deletion, IOptions<ArchiveOptions> options, TimeProvider time,
    ILogger<ArchiveRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.RetentionDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(o.SweepInterval, time);
        do
        {
            try
            {
                var removed = await deletion.DeleteOlderThanAsync(o.RetentionDays, time.GetUtcNow());
                if (removed > 0)
                {
                    logger.LogInformation("Archive retention removed {Messages} messages older than {RetentionDays} days",
                        removed, o.RetentionDays);
                }
            }
            catch (IOException ex)
            {
                logger.LogError(ex, "Archive retention sweep failed; trying again in {SweepInterval}", o.SweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
