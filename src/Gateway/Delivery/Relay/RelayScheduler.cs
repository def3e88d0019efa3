using System.Collections.Concurrent;
using System.Threading.Channels;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The relay's queue manager (Postfix's qmgr): which message goes to which next hop, and when. Each hop of each
/// queued message is either ready (handed to the next free delivery agent) or waiting for its next attempt; a flush
/// request (<c>mailgw queue flush</c>) makes every waiting hop ready at once.
/// </summary>
public sealed class RelayScheduler(
    RelayQueue queue,
    RelayMetrics metrics,
    IOptions<RelayOptions> relayOptions,
    ILogger<RelayScheduler> logger)
{
    private static readonly TimeSpan FlushPoll = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private readonly Channel<RelayWorkItem> _ready = Channel.CreateUnbounded<RelayWorkItem>();
    private readonly PriorityQueue<RelayWorkItem, DateTimeOffset> _waiting = new();
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>A message just made durable in the queue: every hop is ready now.</summary>
    public void Add(QueueEntry entry)
    {
        Track(entry);
        // The hops are read before the first is handed out: an agent can deliver it and remove it from entry.Hops
        // while this loop would still be walking the list.
        var nextHops = entry.Hops.Select(h => h.NextHop).ToArray();
        foreach (var nextHop in nextHops)
        {
            _ready.Writer.TryWrite(new RelayWorkItem(entry, nextHop));
        }
    }

    /// <summary>A message read back from the queue at start: each hop when its next attempt is due.</summary>
    public void Resume(QueueEntry entry)
    {
        Track(entry);
        foreach (var hop in entry.Hops)
        {
            Schedule(new RelayWorkItem(entry, hop.NextHop), hop.NextAttemptAt);
        }
    }

    /// <summary>Plans the next attempt of one hop.</summary>
    public void Schedule(RelayWorkItem item, DateTimeOffset when)
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

    /// <summary>The message is done (delivered, bounced or deleted from the queue): no hop of it is handed out again.</summary>
    public void Forget(QueueEntry entry)
    {
        entry.Removed = true;
        if (_entries.TryRemove(new KeyValuePair<string, QueueEntry>(entry.Id, entry)))
        {
            metrics.Dequeued();
        }
    }

    /// <summary>
    /// After a bookkeeping failure: the queue files are the truth, so the entry is read back from them and each hop
    /// tried again, not before the first retry delay.
    /// </summary>
    public void Reload(QueueEntry stale)
    {
        Forget(stale);
        if (queue.Read(stale.Id) is not { } fresh)
        {
            return;
        }

        Track(fresh);
        var later = DateTimeOffset.UtcNow + relayOptions.Value.RetryDelay(1);
        // Read before the first is handed out (see Add).
        var due = fresh.Hops.Select(h => (h.NextHop, h.NextAttemptAt)).ToArray();
        foreach (var (nextHop, nextAttemptAt) in due)
        {
            Schedule(new RelayWorkItem(fresh, nextHop), nextAttemptAt > later ? nextAttemptAt : later);
        }
    }

    /// <summary>A ready hop at once, or null when none is.</summary>
    public RelayWorkItem? TryTakeReady() => _ready.Reader.TryRead(out var item) ? item : null;

    /// <summary>Waits for the next ready hop.</summary>
    public ValueTask<RelayWorkItem> TakeAsync(CancellationToken cancellationToken) => _ready.Reader.ReadAsync(cancellationToken);

    /// <summary>Moves waiting hops to the ready ones when their time comes or when a flush is requested.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
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

    private void Track(QueueEntry entry)
    {
        _entries[entry.Id] = entry;
        metrics.Queued();
    }
}
