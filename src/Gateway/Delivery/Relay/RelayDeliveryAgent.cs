using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// A delivery agent (Postfix's smtp): takes the next ready hop from the scheduler, holds one SMTP conversation with
/// that next hop over a reused connection, and writes the outcome to the queue before it takes another: delivered
/// recipients leave the entry, refused ones go to the bouncer, deferred ones are rescheduled. Each outcome is also a
/// tracking event on the message, with the next hop's reply.
/// </summary>
public sealed class RelayDeliveryAgent(
    RelayQueue queue,
    RelayScheduler scheduler,
    RelayBouncer bouncer,
    RelayMetrics metrics,
    TrackingRecorder tracking,
    IOptions<RelayOptions> relayOptions,
    IOptions<SmtpOptions> smtpOptions,
    ILogger<RelayDeliveryAgent> logger)
{
    private static readonly TimeSpan IdleConnection = TimeSpan.FromSeconds(10);

    private readonly RelayOptions _options = relayOptions.Value;
    private readonly string _hostName = smtpOptions.Value.EffectiveHostName;

    /// <summary>One agent's loop, with a connection of its own; runs until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = new RelayConnection(_options, _hostName, logger);
        while (!cancellationToken.IsCancellationRequested)
        {
            RelayWorkItem item;
            try
            {
                item = await NextAsync(connection, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await DeliverAsync(connection, item, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The queue files are the truth: take the entry back from them and try again later.
                logger.LogError(ex, "Relay bookkeeping for {QueueId} failed; re-reading it from the queue", item.Entry.Id);
                scheduler.Reload(item.Entry);
            }
        }
    }

    /// <summary>The next ready hop; an idle connection is closed rather than held open indefinitely.</summary>
    private async Task<RelayWorkItem> NextAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        if (scheduler.TryTakeReady() is { } ready)
        {
            return ready;
        }

        if (connection.IsConnected)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(IdleConnection);
            try
            {
                return await scheduler.TakeAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await connection.CloseAsync();
            }
        }

        return await scheduler.TakeAsync(cancellationToken);
    }

    private async Task DeliverAsync(RelayConnection connection, RelayWorkItem item, CancellationToken cancellationToken)
    {
        var entry = item.Entry;
        List<string> recipients;
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            var hop = entry.Removed ? null : entry.Hops.FirstOrDefault(h => h.NextHop == item.NextHop);
            if (hop is null)
            {
                return;
            }

            recipients = hop.Recipients.ToList();
        }
        finally
        {
            entry.Gate.Release();
        }

        IReadOnlyList<RecipientOutcome> outcomes;
        Stream message;
        try
        {
            message = queue.OpenMessage(entry.Id);
        }
        catch (FileNotFoundException)
        {
            logger.LogInformation("Queue entry {QueueId} was deleted; not delivered", entry.Id);
            scheduler.Forget(entry);
            return;
        }

        await using (message)
        {
            outcomes = NextHop.TryParse(item.NextHop, out var nextHop)
                ? await connection.SendAsync(nextHop, entry.From, recipients, message, cancellationToken)
                : recipients.Select(r => new RecipientOutcome(r, RecipientResult.Permanent, "5.4.4",
                    "550 5.4.4 no route to the recipient's domain (neither Relay:Routes nor Relay:SmartHost)")).ToList();
        }

        // From here on the next hop may have the message: record it even when shutting down.
        await entry.Gate.WaitAsync(CancellationToken.None);
        try
        {
            await RecordAsync(entry, item.NextHop, outcomes);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private async Task RecordAsync(QueueEntry entry, string nextHop, IReadOnlyList<RecipientOutcome> outcomes)
    {
        var hop = entry.Hops.First(h => h.NextHop == nextHop);
        var now = DateTimeOffset.UtcNow;
        var expired = now - entry.ReceivedAt >= _options.MaxQueueAge;
        var delivered = outcomes.Where(o => o.Result == RecipientResult.Delivered).Select(o => o.Address).ToList();
        var retry = outcomes.Where(o => o.Result == RecipientResult.Transient && !expired).ToList();
        var failed = outcomes
            .Where(o => o.Result == RecipientResult.Permanent || (o.Result == RecipientResult.Transient && expired))
            .Select(o => o.Result == RecipientResult.Permanent
                ? new FailedRecipient(o.Address, o.Status, o.Diagnostic, HostOf(nextHop))
                : new FailedRecipient(o.Address, "4.4.7",
                    $"{o.Diagnostic} (still undelivered after Relay:MaxQueueAge {_options.MaxQueueAge})", HostOf(nextHop)))
            .ToList();

        Track(entry.Id, now, nextHop, outcomes, expired);
        if (delivered.Count > 0)
        {
            metrics.Relayed(now - entry.ReceivedAt);
            logger.LogInformation("Relayed {QueueId} from <{From}> to {Recipients} via {NextHop} after {Latency:0.000}s",
                entry.Id, entry.From, delivered, nextHop, (now - entry.ReceivedAt).TotalSeconds);
        }

        if (failed.Count > 0)
        {
            await bouncer.BounceAsync(entry, failed, now);
        }

        hop.Recipients = retry.Select(o => o.Address).ToList();
        if (retry.Count > 0)
        {
            hop.Attempts++;
            hop.NextAttemptAt = now + _options.RetryDelay(hop.Attempts);
            hop.LastError = retry[0].Diagnostic;
            metrics.Deferred();
            logger.LogWarning("Deferred {QueueId} to {Recipients} via {NextHop} (attempt {Attempts}), next at {NextAttemptAt:O}: {Error}",
                entry.Id, hop.Recipients, nextHop, hop.Attempts, hop.NextAttemptAt, hop.LastError);
        }
        else
        {
            entry.Hops.Remove(hop);
        }

        if (entry.Hops.Count == 0)
        {
            queue.RemoveDelivered(entry.Id);
            scheduler.Forget(entry);
        }
        else if (!await queue.SaveAsync(entry, CancellationToken.None))
        {
            logger.LogInformation("Queue entry {QueueId} was deleted; not retried", entry.Id);
            scheduler.Forget(entry);
        }
        else if (retry.Count > 0)
        {
            scheduler.Schedule(new RelayWorkItem(entry, nextHop), hop.NextAttemptAt);
        }
    }

    // One event per result kind: relayed, deferred, bounced, each with its recipients and the next hop's reply.
    private void Track(string id, DateTimeOffset now, string nextHop, IReadOnlyList<RecipientOutcome> outcomes, bool expired)
    {
        foreach (var group in outcomes.GroupBy(o => o.Result switch
                 {
                     RecipientResult.Delivered => TrackingEventKinds.Relayed,
                     RecipientResult.Transient when !expired => TrackingEventKinds.Deferred,
                     _ => TrackingEventKinds.Bounced,
                 }))
        {
            var first = group.First();
            tracking.Record(new EventAppended(new TrackingEvent(id, now, group.Key,
                $"{string.Join(", ", group.Select(o => o.Address))} via {nextHop}: {first.Status} {first.Diagnostic}",
                tracking.Node)));
        }
    }

    private static string? HostOf(string nextHop) => NextHop.TryParse(nextHop, out var hop) ? hop.Host : null;
}
