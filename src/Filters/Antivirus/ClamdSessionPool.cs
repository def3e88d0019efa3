using System.Collections.Concurrent;
using System.Diagnostics;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Idle clamd sessions kept for the next scan. A scan takes an idle session for its endpoint (or opens one), and
/// gives it back when the exchange ended cleanly. Sessions idle longer than <see cref="MaxIdle"/> (well below clamd's
/// default IdleTimeout of 30 s) or that clamd has closed are dropped, and a reused session that fails before clamd's
/// reply is retried once on a new connection when the content can be rewound (the spooled message can).
/// Thread-safe; one per process.
/// </summary>
public sealed class ClamdSessionPool : IAsyncDisposable, IDisposable
{
    /// <summary>Idle sessions kept at most; more are closed when they come back.</summary>
    public const int MaxIdleSessions = 32;

    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(5);

    private readonly ConcurrentQueue<ClamdSession> _idle = new();
    private int _idleCount;

    /// <summary>Sessions opened so far (for tests and metrics: far fewer than scans when reuse works).</summary>
    public int SessionsOpened => _opened;

    private int _opened;

    /// <summary>
    /// Scans <paramref name="content"/> on a pooled session. <paramref name="content"/> must be at its start; when
    /// it can seek it is rewound for the one retry.
    /// </summary>
    /// <exception cref="ClamdConnectionException">clamd is unreachable.</exception>
    /// <exception cref="IOException">The exchange failed.</exception>
    public async Task<ClamdScanResult> ScanAsync(ClamdEndpoint endpoint, Stream content, CancellationToken cancellationToken)
    {
        var start = content.CanSeek ? content.Position : -1;
        var session = Take(endpoint);
        var reused = session is not null;
        session ??= await OpenAsync(endpoint, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await session.ScanAsync(content, cancellationToken).ConfigureAwait(false);
            await ReturnAsync(session).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (reused && start >= 0 && !cancellationToken.IsCancellationRequested
                                   && ex is IOException or System.Net.Sockets.SocketException)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            content.Position = start;
            session = await OpenAsync(endpoint, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await session.ScanAsync(content, cancellationToken).ConfigureAwait(false);
                await ReturnAsync(session).ConfigureAwait(false);
                return result;
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<ClamdSession> OpenAsync(ClamdEndpoint endpoint, CancellationToken cancellationToken)
    {
        var session = await ClamdSession.OpenAsync(endpoint, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _opened);
        return session;
    }

    private ClamdSession? Take(ClamdEndpoint endpoint)
    {
        // Bounded: at most the number of idle sessions is looked at; stale or foreign ones are closed on the way.
        for (var i = Volatile.Read(ref _idleCount); i >= 0 && _idle.TryDequeue(out var session); i--)
        {
            Interlocked.Decrement(ref _idleCount);
            if (session.Endpoint == endpoint && session.IsReusable && !IsStale(session) && !session.LooksClosed())
            {
                return session;
            }

            _ = session.DisposeAsync().AsTask();
        }

        return null;
    }

    private async Task ReturnAsync(ClamdSession session)
    {
        if (!session.IsReusable || Interlocked.Increment(ref _idleCount) > MaxIdleSessions)
        {
            if (session.IsReusable)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            await session.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _idle.Enqueue(session);
    }

    private static bool IsStale(ClamdSession session) =>
        Stopwatch.GetElapsedTime(session.LastUsedTimestamp) > MaxIdle;

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryDequeue(out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
