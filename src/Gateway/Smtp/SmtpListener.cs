using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// Accepts SMTP connections and runs a <see cref="SmtpSession"/> for each. On stop it closes the listening socket,
/// tells idle sessions to say 421 and leave, gives sessions in the middle of a message
/// <c>Smtp:ShutdownGraceSeconds</c> to finish, then aborts the rest: a message not yet stored gets no 250, a reply
/// already given (a 250 for a message stored just before) is still sent, then 421 4.3.2.
/// </summary>
public sealed class SmtpListener(
    IOptions<SmtpOptions> options,
    SmtpSessionServices services,
    ConnectionLimiter limiter,
    SmtpMetrics metrics,
    ILogger<SmtpListener> logger) : IHostedService
{
    /// <summary>How long an aborted session may take to send the replies it has given and its 421.</summary>
    public static readonly TimeSpan AbortedSessionReplyTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long the stop waits for aborted sessions: longer than their reply timeout, so none is cut off.</summary>
    private static readonly TimeSpan AbortedSessionsWait = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<long, Task> _sessions = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private long _sessionCounter;
    private readonly NetworkList _trustedProxies = new(options.Value.TrustedProxies);

    /// <summary>The address actually bound (the real port when <c>Smtp:Port</c> is 0).</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var endPoint = new IPEndPoint(IPAddress.Parse(o.Address), o.Port);
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(endPoint);
        _socket.Listen(1024);
        logger.LogInformation("SMTP listening on {EndPoint} as {HostName}", LocalEndPoint, o.EffectiveHostName);
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("SMTP listener stopping; {OpenSessions} sessions open", _sessions.Count);
        _socket?.Close();
        _stopping.Cancel();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        var all = Task.WhenAll(_sessions.Values);
        var grace = Task.Delay(TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds), cancellationToken);
        if (await Task.WhenAny(all, grace) != all)
        {
            logger.LogWarning("Aborting {OpenSessions} sessions still open after the grace period", _sessions.Count);
            _abort.Cancel();
            await Task.WhenAny(all, Task.Delay(AbortedSessionsWait, CancellationToken.None));
        }

        logger.LogInformation("SMTP listener stopped");
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket!.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException
                                           || ex is SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                logger.LogWarning(ex, "Accept failed");
                continue;
            }

            var n = Interlocked.Increment(ref _sessionCounter);
            _sessions[n] = RunSessionAsync(client, n);
        }
    }

    /// <summary>The original client's address from the PROXY header (the proxy's own for LOCAL); null when unusable.</summary>
    private async Task<IPAddress?> ReadProxyHeaderAsync(SmtpConnection connection, string sessionId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var header = await ProxyProtocol.ReadAsync(connection.Reader, timeout.Token);
            if (header.Source is { } source)
            {
                connection.UseProxiedClient(source);
            }

            return connection.RemoteEndPoint.Address;
        }
        catch (Exception ex) when (ex is InvalidDataException or OperationCanceledException or IOException)
        {
            logger.LogWarning("Session {SessionId} from proxy {ProxyIp} closed: no valid PROXY header ({Reason})",
                sessionId, connection.PeerEndPoint.Address, ex.Message);
            return null;
        }
    }

    private async Task RunSessionAsync(Socket client, long n)
    {
        await Task.Yield();
        var address = ((IPEndPoint)client.RemoteEndPoint!).Address;
        var sessionId = $"{Environment.ProcessId:x}-{n:x}";
        await using var connection = new SmtpConnection(client, metrics.Reply);
        try
        {
            if (_trustedProxies.Contains(address))
            {
                if (await ReadProxyHeaderAsync(connection, sessionId) is not { } client2)
                {
                    return;
                }

                address = client2;
            }

            var refusal = limiter.TryAcquire(address);
            if (refusal is not null)
            {
                logger.LogWarning("Session {SessionId} from {ClientIp} refused: {ReplyCode} {Reply}", sessionId,
                    address, refusal.Code, refusal.Lines[0]);
                connection.Enqueue(refusal);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.FlushAsync(cts.Token);
                return;
            }

            metrics.SessionOpened();
            try
            {
                var session = new SmtpSession(connection, services, sessionId, _stopping.Token, _abort.Token);
                await session.RunAsync();
            }
            finally
            {
                limiter.Release(address);
                metrics.SessionClosed();
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Session {SessionId} ended with an error", sessionId);
        }
        finally
        {
            _sessions.TryRemove(n, out _);
        }
    }
}
