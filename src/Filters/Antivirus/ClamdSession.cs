using System.Net.Sockets;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// One clamd connection in session mode (<c>zIDSESSION</c>): many scans, one at a time, over the same socket, so a
/// scan costs clamd no accept and no new connection. Replies carry a "<c>N: </c>" prefix, which the reply parser
/// reads past. A session whose exchange did not end cleanly (timeout, early reply, protocol error) is not reusable.
/// </summary>
public sealed class ClamdSession : IAsyncDisposable
{
    private static readonly byte[] IdSessionCommand = "zIDSESSION\0"u8.ToArray();
    private static readonly byte[] InstreamCommand = "zINSTREAM\0"u8.ToArray();
    private static readonly byte[] EndCommand = "zEND\0"u8.ToArray();

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private ClamdSession(ClamdEndpoint endpoint, Socket socket)
    {
        Endpoint = endpoint;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public ClamdEndpoint Endpoint { get; }

    /// <summary>When the last scan on this session ended (for the pool's idle limit).</summary>
    public long LastUsedTimestamp { get; private set; }

    /// <summary>True while the session is in step and may take another scan.</summary>
    public bool IsReusable { get; private set; }

    /// <summary>Scans done on this session so far.</summary>
    public int Scans { get; private set; }

    /// <exception cref="ClamdConnectionException">clamd is unreachable.</exception>
    public static async Task<ClamdSession> OpenAsync(ClamdEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = await ClamdClient.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var session = new ClamdSession(endpoint, socket);
        try
        {
            await session._stream.WriteAsync(IdSessionCommand, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        session.IsReusable = true;
        return session;
    }

    /// <summary>
    /// True when clamd has closed the idle session (its IdleTimeout) or sent something unasked: then the session is
    /// of no use, and finding out before a scan spares a failed upload.
    /// </summary>
    public bool LooksClosed()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Streams <paramref name="content"/> with <c>zINSTREAM</c> and returns clamd's parsed verdict.</summary>
    /// <exception cref="IOException">The connection failed, or clamd broke the protocol.</exception>
    public async Task<ClamdScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        IsReusable = false;
        var (reply, sent, complete) = await ClamdClient.InstreamAsync(_stream, content, InstreamCommand, cancellationToken)
            .ConfigureAwait(false);
        var parsed = ClamdReplyParser.ParseScanReply(reply);
        Scans++;
        LastUsedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        IsReusable = complete && parsed.Status is ClamdReplyStatus.Clean or ClamdReplyStatus.Infected;
        return new ClamdScanResult(parsed, sent);
    }

    public async ValueTask DisposeAsync()
    {
        if (IsReusable)
        {
            try
            {
                // A polite END; clamd closes its side either way.
                _stream.Write(EndCommand);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
            }
        }

        IsReusable = false;
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
