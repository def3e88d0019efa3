using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Where the gateway hands tracking writes: a bounded in-memory queue drained by <see cref="TrackingWriter"/>.
/// <see cref="Record"/> never waits and never throws: when the queue is full the write is dropped and counted
/// (<c>mailgateway_tracking_dropped_total{reason="queue_full"}</c>), and the writer logs the gap.
/// Administrator actions (release, marks), which are rare and off the SMTP path, use <see cref="RecordNowAsync"/> so
/// the page that follows already shows them.
/// </summary>
public sealed class TrackingRecorder
{
    private static readonly TimeSpan DirectWriteTimeout = TimeSpan.FromSeconds(5);

    private readonly SqlTrackingStore _store;
    private readonly Channel<TrackingWrite> _queue;
    private readonly TrackingMetrics _metrics;
    private long _dropped;
    private long _droppedArchiveIndex;

    public TrackingRecorder(IOptions<TrackingOptions> options, TrackingMetrics metrics, SqlTrackingStore store)
    {
        _metrics = metrics;
        _store = store;
        Enabled = options.Value.Enabled;
        Node = options.Value.NodeName;
        _queue = Channel.CreateBounded<TrackingWrite>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public bool Enabled { get; private set; }

    /// <summary>This gateway's name in records (<c>Tracking:NodeName</c>, else <c>Smtp:HostName</c>).</summary>
    public string Node { get; }

    internal ChannelReader<TrackingWrite> Reader => _queue.Reader;

    /// <summary>Writes dropped since start (any reason).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues <paramref name="write"/>; drops and counts it when the queue is full or tracking is off.</summary>
    public void Record(TrackingWrite write)
    {
        if (!Enabled)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(write))
        {
            Lost(write, "queue_full");
        }
    }

    /// <summary>
    /// Writes at once, in one transaction, waiting at most a few seconds; when the database does not take them they
    /// are queued like <see cref="Record"/> (and retried by the writer). Never throws for a database error.
    /// </summary>
    public async Task RecordNowAsync(IReadOnlyList<TrackingWrite> writes, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DirectWriteTimeout);
        try
        {
            await _store.ApplyAsync(writes, timeout.Token);
            _metrics.Written(writes.Count);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            foreach (var write in writes)
            {
                Record(write);
            }
        }
    }

    /// <summary>Counts a write that will never reach the database.</summary>
    internal void Lost(TrackingWrite write, string reason)
    {
        Interlocked.Increment(ref _dropped);
        if (write.IsArchiveIndex)
        {
            Interlocked.Increment(ref _droppedArchiveIndex);
        }

        _metrics.Dropped(reason);
    }

    /// <summary>True (once) when archive-index writes were lost since the last call: the index needs a rebuild from the files.</summary>
    internal bool TakeArchiveIndexGap() => Interlocked.Exchange(ref _droppedArchiveIndex, 0) > 0;

    /// <summary>Turns tracking off for the rest of the process (a start it could not recover from); later writes are ignored.</summary>
    internal void Disable()
    {
        Enabled = false;
        while (_queue.Reader.TryRead(out var write))
        {
            Lost(write, "disabled");
        }
    }
}
