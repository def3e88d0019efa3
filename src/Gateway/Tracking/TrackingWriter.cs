using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Drains <see cref="TrackingRecorder"/>'s queue into the database in batches, one transaction each, off the SMTP path.
/// At start it creates or migrates the schema and brings the archive index up to date with the files
/// (<see cref="ArchiveIndexRebuild"/>); then it deletes records older than <c>Tracking:RetentionDays</c> once an hour.
/// </summary>
/// <remarks>
/// "Restore mail service first, data later": nothing here can stop or slow mail. A database that does not answer is
/// retried with back-off while the batch in hand is kept; the queue fills meanwhile and what no longer fits is
/// dropped and counted (the gap, logged once per outage with its size). When it answers again the kept batch is
/// written, and if archive-index writes were lost the index is rebuilt from the files. A damaged SQLite file is set
/// aside and a new one created (the archive index is rebuilt; earlier tracking records stay in the set-aside file).
/// </remarks>
public sealed class TrackingWriter(
    TrackingRecorder recorder,
    SqlTrackingStore store,
    ArchiveIndexRebuild rebuild,
    TrackingMetrics metrics,
    IOptions<TrackingOptions> options,
    ILogger<TrackingWriter> logger) : BackgroundService
{
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainAtStop = TimeSpan.FromSeconds(5);

    // How long the writer lets writes gather before a transaction: under load one batch per 100 ms, not one per message.
    private static readonly TimeSpan BatchLinger = TimeSpan.FromMilliseconds(100);

    private readonly TrackingOptions _options = options.Value;
    private long _droppedReported;

    // Set when the database came back: the queue that built up meanwhile is written at once (no linger), and the
    // "is back" line is logged only once it has been, so a message that follows the line finds room in the queue.
    private DateTimeOffset? _catchingUpSince;
    private DateTimeOffset _nextRetention = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!recorder.Enabled)
        {
            logger.LogInformation("Message tracking is off (Tracking:Enabled=false)");
            return;
        }

        await Task.Yield();
        try
        {
            if (!await StartStoreAsync(stoppingToken))
            {
                return;
            }

            await RebuildIndexAsync(stoppingToken);
            var batch = new List<TrackingWrite>(_options.BatchSize);
            while (!stoppingToken.IsCancellationRequested)
            {
                await RetentionAsync(stoppingToken);
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(RetentionEvery);
                    try
                    {
                        await recorder.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        continue;
                    }
                }

                if (recorder.Reader.Count < _options.BatchSize && _catchingUpSince is null)
                {
                    await Task.Delay(BatchLinger, stoppingToken);
                }

                Fill(batch);
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
                if (_catchingUpSince is { } since && recorder.Reader.Count == 0)
                {
                    _catchingUpSince = null;
                    logger.LogWarning(
                        "Tracking database {Database} at {DatabaseLocation} is back after {OutageSeconds:F0} s: the kept batch and the queue written; {Dropped} writes dropped since start",
                        store.Dialect.Name, store.Dialect.Location, (DateTimeOffset.UtcNow - since).TotalSeconds, recorder.Dropped);
                }

                ReportGap();
                if (recorder.TakeArchiveIndexGap())
                {
                    await RebuildIndexAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAsync();
    }

    // Creates or migrates the schema, retrying until the database answers; false when tracking had to be turned off.
    private async Task<bool> StartStoreAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        var reported = false;
        while (true)
        {
            try
            {
                await store.EnsureSchemaAsync(cancellationToken);
                logger.LogInformation("Message tracking in {Database} at {DatabaseLocation}, schema version {SchemaVersion}",
                    store.Dialect.Name, store.Dialect.Location, TrackingSchema.LatestVersion);
                return true;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsDamaged(ex))
            {
                if (!SetAside(ex))
                {
                    return false;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (!reported)
                {
                    logger.LogError(ex,
                        "Tracking database {Database} at {DatabaseLocation} unavailable at start: {Reason}; mail is accepted, tracking writes wait (up to {QueueCapacity}) and are retried",
                        store.Dialect.Name, store.Dialect.Location, ex.Message, _options.QueueCapacity);
                    reported = true;
                }

                ReportGap();
                await Task.Delay(delay, cancellationToken);
                delay = Min(delay * 2, MaxBackOff);
            }
        }
    }

    private bool IsDamaged(Exception ex) => store.Dialect.IsCorruption(ex) || ex is InvalidDataException;

    // A damaged SQLite file: set aside, start a new one. Where that is impossible tracking is turned off.
    private bool SetAside(Exception ex)
    {
        string? aside;
        try
        {
            aside = store.Dialect.SetAsideCorrupt();
        }
        catch (Exception moveError) when (moveError is IOException or UnauthorizedAccessException)
        {
            aside = null;
        }

        if (aside is null)
        {
            logger.LogError(ex,
                "Tracking database {Database} at {DatabaseLocation} is damaged ({Reason}) and cannot be set aside: message tracking is OFF until it is repaired; mail service goes on",
                store.Dialect.Name, store.Dialect.Location, ex.Message);
            recorder.Disable();
            return false;
        }

        store.ResetSchema();
        logger.LogError(ex,
            "Tracking database {DatabaseLocation} is damaged ({Reason}): moved to {SetAsidePath}, a new one is created and the archive index rebuilt from the files; mail service goes on",
            store.Dialect.Location, ex.Message, aside);
        return true;
    }

    private void Fill(List<TrackingWrite> batch)
    {
        while (batch.Count < _options.BatchSize && recorder.Reader.TryRead(out var write))
        {
            batch.Add(write);
        }
    }

    // Writes the batch, retrying with back-off while the database is away; never gives up on it while running.
    private async Task WriteAsync(List<TrackingWrite> batch, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        DateTimeOffset? outageSince = null;
        while (true)
        {
            try
            {
                // Not cancelled by the stop: a batch already taken from the queue is finished (the command timeouts
                // bound it), or it would be lost between the queue and the drain at stop.
                await store.ApplyAsync(batch, CancellationToken.None);
                metrics.Written(batch.Count);
                if (outageSince is { } since)
                {
                    _catchingUpSince = since;
                }

                return;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping while the database is away: what the batch held is the gap.
                batch.ForEach(w => recorder.Lost(w, "store_error"));
                logger.LogWarning("Tracking writes lost at stop: a batch of {BatchCount} the database did not take", batch.Count);
                return;
            }
            catch (Exception ex)
            {
                metrics.BatchFailed();
                if (IsDamaged(ex))
                {
                    if (!SetAside(ex))
                    {
                        batch.ForEach(w => recorder.Lost(w, "disabled"));
                        return;
                    }

                    continue;
                }

                if (await AnswersAsync(cancellationToken))
                {
                    // The database is there but refused this batch: write what it takes, count the rest.
                    await WriteOneByOneAsync(batch, ex, cancellationToken);
                    return;
                }

                if (outageSince is null)
                {
                    outageSince = DateTimeOffset.UtcNow;
                    logger.LogWarning(
                        "Tracking database {Database} at {DatabaseLocation} unavailable: {Reason}; mail is still accepted, a batch of {BatchCount} is kept and retried, later writes queue (up to {QueueCapacity}) and then are dropped and counted",
                        store.Dialect.Name, store.Dialect.Location, ex.Message, batch.Count, _options.QueueCapacity);
                }

                ReportGap();
                try
                {
                    await Task.Delay(delay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    batch.ForEach(w => recorder.Lost(w, "store_error"));
                    logger.LogWarning("Tracking writes lost at stop: a batch of {BatchCount} the database did not take", batch.Count);
                    return;
                }

                delay = Min(delay * 2, MaxBackOff);
            }
        }
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private async Task WriteOneByOneAsync(List<TrackingWrite> batch, Exception batchError, CancellationToken cancellationToken)
    {
        var refused = 0;
        foreach (var write in batch)
        {
            try
            {
                await store.ApplyAsync([write], cancellationToken);
                metrics.Written(1);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                recorder.Lost(write, "store_error");
                refused++;
            }
        }

        logger.LogWarning(batchError, "Tracking database refused {Refused} of {BatchCount} writes: {Reason}",
            refused, batch.Count, batchError.Message);
    }

    // One warning per growth of the gap, not one per dropped write.
    private void ReportGap()
    {
        var dropped = recorder.Dropped;
        if (dropped > _droppedReported)
        {
            logger.LogWarning("Tracking gap: {DroppedSinceLastReport} writes dropped ({Dropped} since start); mail was not affected",
                dropped - _droppedReported, dropped);
            _droppedReported = dropped;
        }
    }

    private async Task RebuildIndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            await rebuild.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Archive index rebuild failed: {Reason}; the archive pages may miss messages until the next start",
                ex.Message);
        }
    }

    private async Task RetentionAsync(CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow < _nextRetention)
        {
            return;
        }

        _nextRetention = DateTimeOffset.UtcNow + RetentionEvery;
        try
        {
            var cutoff = DateTimeOffset.UtcNow.AddDays(-_options.RetentionDays);
            var deleted = await store.DeleteOlderThanAsync(cutoff, cancellationToken);
            logger.LogInformation("Tracking retention: {Deleted} messages older than {RetentionDays} days deleted",
                deleted, _options.RetentionDays);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Tracking retention failed: {Reason}; retried in an hour", ex.Message);
        }
    }

    /// <summary>
    /// Writes what is queued now (the offline verbs, which run no background writer, call this before they exit);
    /// what does not reach the database within a few seconds is counted as dropped.
    /// </summary>
    public Task FlushAsync() => DrainAsync();

    // At stop: what is queued gets a few seconds to reach the database; what does not is counted.
    private async Task DrainAsync()
    {
        using var deadline = new CancellationTokenSource(DrainAtStop);
        var batch = new List<TrackingWrite>(_options.BatchSize);
        try
        {
            while (recorder.Reader.TryPeek(out _))
            {
                Fill(batch);
                await store.ApplyAsync(batch, deadline.Token);
                metrics.Written(batch.Count);
                batch.Clear();
            }
        }
        catch (Exception ex)
        {
            batch.ForEach(w => recorder.Lost(w, "store_error"));
            while (recorder.Reader.TryRead(out var write))
            {
                recorder.Lost(write, "store_error");
            }

            logger.LogWarning("Tracking writes lost at stop: {Reason}; {Dropped} dropped since start", ex.Message, recorder.Dropped);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
