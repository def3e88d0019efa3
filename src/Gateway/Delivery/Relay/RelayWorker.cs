using System.Collections.Concurrent;
using System.Threading.Channels;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Smtp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The relay's queue manager and delivery agents: reads the queue back at start (before the listener accepts),
/// keeps each hop of each message either ready or waiting for its next attempt, and runs <c>Relay:MaxConnections</c>
/// workers that deliver over reused connections. After each attempt the outcome is written to the queue before the
/// worker moves on: delivered recipients leave the entry, refused ones are bounced, deferred ones are rescheduled.
/// </summary>
public sealed class RelayWorker(
    RelayQueue queue,
    RelayRoutes routes,
    RelayMetrics metrics,
    IOptions<RelayOptions> relayOptions,
    IOptions<SmtpOptions> smtpOptions,
    ILogger<RelayWorker> logger) : IHostedService
{
    private static readonly TimeSpan IdleConnection = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FlushPoll = TimeSpan.FromSeconds(1);
    private static readonly FormatOptions DosFormat = CreateDosFormat();

    private readonly RelayOptions _options = relayOptions.Value;
    private readonly string _hostName = smtpOptions.Value.EffectiveHostName;
    private readonly ConcurrentDictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private readonly Channel<WorkItem> _ready = Channel.CreateUnbounded<WorkItem>();
    private readonly PriorityQueue<WorkItem, DateTimeOffset> _waiting = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = new();

    /// <summary>Messages in the queue right now.</summary>
    public int QueueLength => _entries.Count;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in queue.Recover())
        {
            Track(entry);
            foreach (var hop in entry.Hops)
            {
                Schedule(new WorkItem(entry, hop.NextHop), hop.NextAttemptAt);
            }
        }

        _tasks.Add(Task.Run(() => SchedulerAsync(_stopping.Token)));
        for (var i = 0; i < _options.MaxConnections; i++)
        {
            _tasks.Add(Task.Run(() => DeliverLoopAsync(_stopping.Token)));
        }

        logger.LogInformation("Relay delivery started: {Workers} connections, smart host {SmartHost}, {RouteCount} routes, TLS {Tls}",
            _options.MaxConnections, _options.SmartHost, _options.Routes.Count, _options.Tls);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_tasks).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>A message just made durable in the queue: every hop is ready now.</summary>
    public void Add(QueueEntry entry)
    {
        Track(entry);
        // The hops are read before the first is handed out: a worker can deliver it and remove it from entry.Hops
        // while this loop would still be walking the list.
        var nextHops = entry.Hops.Select(h => h.NextHop).ToArray();
        foreach (var nextHop in nextHops)
        {
            _ready.Writer.TryWrite(new WorkItem(entry, nextHop));
        }
    }

    private void Track(QueueEntry entry)
    {
        _entries[entry.Id] = entry;
        metrics.Queued();
    }

    private void Forget(QueueEntry entry)
    {
        entry.Removed = true;
        if (_entries.TryRemove(new KeyValuePair<string, QueueEntry>(entry.Id, entry)))
        {
            metrics.Dequeued();
        }
    }

    private void Schedule(WorkItem item, DateTimeOffset when)
    {
        if (when <= DateTimeOffset.UtcNow)
        {
            _ready.Writer.TryWrite(item);
            return;
        }

        lock (_waiting)
        {
            _waiting.Enqueue(item, when);
        }

        _wake.Release();
    }

    /// <summary>Moves waiting hops to the ready channel when their time comes or when a flush is requested.</summary>
    private async Task SchedulerAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var flush = false;
            try
            {
                flush = queue.TakeFlushRequest();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not read the flush marker");
            }

            TimeSpan wait;
            var now = DateTimeOffset.UtcNow;
            lock (_waiting)
            {
                var moved = 0;
                while (_waiting.TryPeek(out var item, out var when) && (flush || when <= now))
                {
                    _waiting.Dequeue();
                    _ready.Writer.TryWrite(item);
                    moved++;
                }

                if (flush)
                {
                    logger.LogInformation("Queue flush requested: {Count} deferred deliveries retried now", moved);
                }

                wait = _waiting.TryPeek(out _, out var next) && next - now < FlushPoll ? next - now : FlushPoll;
            }

            try
            {
                await _wake.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverLoopAsync(CancellationToken cancellationToken)
    {
        await using var connection = new RelayConnection(_options, _hostName, logger);
        while (!cancellationToken.IsCancellationRequested)
        {
            WorkItem item;
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
                Reload(item.Entry);
            }
        }
    }

    /// <summary>The next ready item; an idle connection is closed rather than held open indefinitely.</summary>
    private async Task<WorkItem> NextAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        if (_ready.Reader.TryRead(out var ready))
        {
            return ready;
        }

        if (connection.IsConnected)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(IdleConnection);
            try
            {
                return await _ready.Reader.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await connection.CloseAsync();
            }
        }

        return await _ready.Reader.ReadAsync(cancellationToken);
    }

    private async Task DeliverAsync(RelayConnection connection, WorkItem item, CancellationToken cancellationToken)
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
            Forget(entry);
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

        if (delivered.Count > 0)
        {
            metrics.Relayed(now - entry.ReceivedAt);
            logger.LogInformation("Relayed {QueueId} from <{From}> to {Recipients} via {NextHop} after {Latency:0.000}s",
                entry.Id, entry.From, delivered, nextHop, (now - entry.ReceivedAt).TotalSeconds);
        }

        if (failed.Count > 0)
        {
            await BounceAsync(entry, failed, now);
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
            Forget(entry);
        }
        else if (!await queue.SaveAsync(entry, CancellationToken.None))
        {
            logger.LogInformation("Queue entry {QueueId} was deleted; not retried", entry.Id);
            Forget(entry);
        }
        else if (retry.Count > 0)
        {
            Schedule(new WorkItem(entry, nextHop), hop.NextAttemptAt);
        }
    }

    /// <summary>Queues one DSN for <paramref name="failed"/> before the entry forgets them; never for a null sender.</summary>
    private async Task BounceAsync(QueueEntry entry, IReadOnlyList<FailedRecipient> failed, DateTimeOffset now)
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
        Add(bounce);
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

    private static string? HostOf(string nextHop) => NextHop.TryParse(nextHop, out var hop) ? hop.Host : null;

    private void Reload(QueueEntry stale)
    {
        Forget(stale);
        if (queue.Read(stale.Id) is not { } fresh)
        {
            return;
        }

        Track(fresh);
        var later = DateTimeOffset.UtcNow + _options.RetryDelay(1);
        // Read before the first is handed out (see Add).
        var due = fresh.Hops.Select(h => (h.NextHop, h.NextAttemptAt)).ToArray();
        foreach (var (nextHop, nextAttemptAt) in due)
        {
            Schedule(new WorkItem(fresh, nextHop), nextAttemptAt > later ? nextAttemptAt : later);
        }
    }

    private static FormatOptions CreateDosFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    private sealed record WorkItem(QueueEntry Entry, string NextHop);
}
