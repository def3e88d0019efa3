using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The relay's bouncer: one RFC 3464 delivery status notification for the recipients a queued message could not
/// reach, queued back to its sender like any other message. Never for the null sender (no bounce loops).
/// </summary>
public sealed class RelayBouncer(
    RelayQueue queue,
    RelayRoutes routes,
    RelayScheduler scheduler,
    RelayMetrics metrics,
    IOptions<SmtpOptions> smtpOptions,
    ILogger<RelayBouncer> logger)
{
    private static readonly FormatOptions DosFormat = CreateDosFormat();

    private readonly string _hostName = smtpOptions.Value.EffectiveHostName;

    /// <summary>Queues one DSN for <paramref name="failed"/> before the entry forgets them.</summary>
    public async Task BounceAsync(QueueEntry entry, IReadOnlyList<FailedRecipient> failed, DateTimeOffset now)
    {
        if (entry.From.Length == 0)
        {
            logger.LogWarning("Dropped {QueueId} for {Recipients}: {Error}; a message from the null sender is not bounced",
                entry.Id, failed.Select(f => f.Address), failed[0].Diagnostic);
            return;
        }

        MimeMessage dsn;
        try
        {
            dsn = DeliveryStatusNotification.Create(_hostName, entry, OriginalHeader(entry.Id), failed, now);
        }
        catch (Exception ex) when (ex is ParseException or ArgumentException)
        {
            logger.LogError(ex, "No DSN for {QueueId}: the sender <{From}> is not usable as an address", entry.Id, entry.From);
            return;
        }

        var bounce = new QueueEntry
        {
            Id = MessageIds.New(),
            From = "",
            ReceivedAt = now,
            Hops = routes.Group([entry.From], now),
        };
        await queue.EnqueueAsync(bounce, (stream, ct) => dsn.WriteToAsync(DosFormat, stream, ct), CancellationToken.None);
        scheduler.Add(bounce);
        metrics.Bounced();
        logger.LogWarning("Bounced {QueueId} for {Recipients}: {Error}; DSN {DsnId} queued to <{From}>",
            entry.Id, failed.Select(f => f.Address), failed[0].Diagnostic, bounce.Id, entry.From);
    }

    /// <summary>The queued message's header for its DSN; a placeholder naming the entry when the file cannot be read.</summary>
    private byte[] OriginalHeader(string id)
    {
        try
        {
            using var message = queue.OpenMessage(id);
            return DeliveryStatusNotification.HeaderOf(message);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not read the header of {QueueId} for its DSN", id);
            return System.Text.Encoding.ASCII.GetBytes($"X-MailGateway-Queue-ID: {id}\r\n");
        }
    }

    private static FormatOptions CreateDosFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
