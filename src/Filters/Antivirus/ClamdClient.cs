using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// A client for clamd's socket protocol (the z-commands: NUL-terminated requests and replies). Each call opens its own
/// connection, as clamd expects for single commands, so one instance can be shared by concurrent scans.
/// </summary>
public sealed class ClamdClient
{
    /// <summary>
    /// Content bytes per INSTREAM chunk. Large enough to keep the per-chunk overhead negligible, small enough to come
    /// from the shared array pool; clamd accepts any chunk below its StreamMaxLength.
    /// </summary>
    public const int ChunkSize = 64 * 1024;

    private const int LengthPrefixSize = 4;
    private const int MaxReplyLength = 4096;

    private static readonly byte[] InstreamCommand = "zINSTREAM\0"u8.ToArray();
    private static readonly byte[] PingCommand = "zPING\0"u8.ToArray();
    private static readonly byte[] VersionCommand = "zVERSION\0"u8.ToArray();

    /// <summary>Creates a client for <paramref name="endpoint"/>.</summary>
    public ClamdClient(ClamdEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
    }

    /// <summary>Where this client connects.</summary>
    public ClamdEndpoint Endpoint { get; }

    /// <summary>Sends <c>zPING</c>; true when clamd answers <c>PONG</c>.</summary>
    /// <exception cref="ClamdConnectionException">clamd is unreachable.</exception>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        var reply = await SendCommandAsync(PingCommand, cancellationToken).ConfigureAwait(false);
        return reply == "PONG";
    }

    /// <summary>Sends <c>zVERSION</c> and parses the engine and database versions.</summary>
    /// <exception cref="ClamdConnectionException">clamd is unreachable.</exception>
    public async Task<ClamdVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var reply = await SendCommandAsync(VersionCommand, cancellationToken).ConfigureAwait(false);
        return ClamdVersion.Parse(reply);
    }

    /// <summary>
    /// Streams <paramref name="content"/> (from its current position to its end) to clamd with <c>zINSTREAM</c> in
    /// length-prefixed chunks from one pooled buffer, so a message of any size costs one chunk of memory.
    /// </summary>
    /// <remarks>
    /// clamd answers early and closes the connection when the stream passes its StreamMaxLength; the reply is read
    /// concurrently with the upload so that this answer is seen instead of a broken pipe. Cancellation (the caller's
    /// timeout) aborts the connect, the upload and the wait for the verdict alike.
    /// </remarks>
    /// <exception cref="ClamdConnectionException">clamd is unreachable.</exception>
    /// <exception cref="IOException">The connection failed during the exchange, or clamd broke the protocol.</exception>
    public async Task<ClamdScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var (reply, sent, _) = await InstreamAsync(stream, content, InstreamCommand, cancellationToken).ConfigureAwait(false);
        return new ClamdScanResult(ClamdReplyParser.ParseScanReply(reply), sent);
    }

    /// <summary>
    /// Sends <paramref name="command"/> (<c>zINSTREAM</c>) and <paramref name="content"/> in length-prefixed chunks on
    /// <paramref name="stream"/>, and returns clamd's reply with the number of content bytes sent. The reply is read
    /// while uploading, so clamd's early answer (size limit) is seen instead of a broken pipe. <c>Complete</c> is true
    /// when the whole upload, terminator included, went out before the reply: only then is the connection still in
    /// step for another command (IDSESSION).
    /// </summary>
    internal static async Task<(string Reply, long Sent, bool Complete)> InstreamAsync(Stream stream, Stream content, byte[] command,
        CancellationToken cancellationToken)
    {
        var replyTask = ReadReplyAsync(stream, cancellationToken);
        var replyObserved = false;
        // One buffer for the command, a length-prefixed chunk and the terminating zero length, so a message that fits
        // in one chunk costs clamd a single read, not three.
        var buffer = ArrayPool<byte>.Shared.Rent(command.Length + LengthPrefixSize + ChunkSize + LengthPrefixSize);
        long sent = 0;
        var complete = false;
        try
        {
            command.CopyTo(buffer, 0);
            var offset = command.Length;
            while (!replyTask.IsCompleted)
            {
                var read = await content
                    .ReadAtLeastAsync(buffer.AsMemory(offset + LengthPrefixSize, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
                BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(offset), (uint)read);
                var end = offset + LengthPrefixSize + read;
                // Fewer bytes than asked for means the end of the content: the terminator goes in the same write.
                var last = read < ChunkSize;
                if (last && read > 0)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(end), 0);
                    end += LengthPrefixSize;
                }

                try
                {
                    await stream.WriteAsync(buffer.AsMemory(0, end), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException) when (!cancellationToken.IsCancellationRequested)
                {
                    // clamd stopped reading (size limit) and closed; its reply, if any, says why.
                    break;
                }

                sent += read;
                offset = 0;
                if (last)
                {
                    complete = true;
                    break;
                }
            }

            replyObserved = true;
            var reply = await replyTask.ConfigureAwait(false);
            return (reply, sent, complete);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!replyObserved)
            {
                // The upload failed; the pending read ends when the socket closes and its fault is of no interest.
                _ = replyTask.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task<string> SendCommandAsync(byte[] command, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(command, cancellationToken).ConfigureAwait(false);
        return ClamdReplyParser.TrimTerminators(await ReadReplyAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    internal Task<Socket> ConnectAsync(CancellationToken cancellationToken) => ConnectAsync(Endpoint, cancellationToken);

    internal static async Task<Socket> ConnectAsync(ClamdEndpoint endpoint, CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint endPoint;
        if (endpoint.SocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endPoint = new UnixDomainSocketEndPoint(path);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            endPoint = IPAddress.TryParse(endpoint.Host, out var address)
                ? new IPEndPoint(address, endpoint.Port)
                : new DnsEndPoint(endpoint.Host, endpoint.Port);
        }

        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ClamdConnectionException(endpoint, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads one reply up to its NUL terminator (or the end of the connection).</summary>
    internal static async Task<string> ReadReplyAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxReplyLength);
        try
        {
            var length = 0;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length, MaxReplyLength - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (length == 0)
                    {
                        throw new ClamdProtocolException("clamd closed the connection without a reply.");
                    }

                    return Encoding.UTF8.GetString(buffer, 0, length);
                }

                var terminator = Array.IndexOf(buffer, (byte)0, length, read);
                length += read;
                if (terminator >= 0)
                {
                    return Encoding.UTF8.GetString(buffer, 0, terminator);
                }

                if (length == MaxReplyLength)
                {
                    throw new ClamdProtocolException($"clamd sent a reply longer than {MaxReplyLength} bytes.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
