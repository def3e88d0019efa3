using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailGateway.Filters.Tests.Antivirus;

/// <summary>
/// A loopback server speaking just enough of clamd's protocol to give replies a real clamd cannot be made to give
/// (ERROR, a versioned database, a closed connection). For unit tests only; integration tests use the real clamd.
/// </summary>
internal sealed class FakeClamd : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <param name="scanReply">Reply to zINSTREAM after the upload, or null to close without replying.</param>
    /// <param name="versionReply">Reply to zVERSION.</param>
    public FakeClamd(string? scanReply, string versionReply = "ClamAV 1.4.3/27500/Tue Jan 14 09:38:45 2025")
    {
        _listener.Start();
        _serving = ServeAsync(scanReply, versionReply);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int VersionRequests;

    /// <summary>IDSESSION connections opened by clients so far.</summary>
    public int Sessions;

    /// <summary>Ends each session after its first scan, as clamd does when it drops an idle session.</summary>
    public bool CloseSessionsAfterOneScan { get; init; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(string? scanReply, string versionReply)
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Each connection on its own task: a client may keep an idle session open while it opens another.
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                connections.Add(HandleAsync(socket, scanReply, versionReply));
            }
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task HandleAsync(Socket socket, string? scanReply, string versionReply)
    {
        using var _ = socket;
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var command = await ReadCommandAsync(stream);
            // IDSESSION: commands follow one another on the connection, each reply prefixed with its number.
            var session = command == "zIDSESSION";
            if (session)
            {
                Interlocked.Increment(ref Sessions);
                command = await ReadCommandAsync(stream);
            }

            for (var n = 1; command.Length > 0 && command != "zEND"; n++)
            {
                string? reply = command switch
                {
                    "zPING" => "PONG",
                    "zVERSION" => versionReply,
                    "zINSTREAM" => await DrainChunksAsync(stream) ? scanReply : null,
                    _ => "UNKNOWN COMMAND",
                };
                if (command == "zVERSION")
                {
                    Interlocked.Increment(ref VersionRequests);
                }

                if (reply is null)
                {
                    break;
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes((session ? $"{n}: " : "") + reply + "\0"), _stop.Token);
                if (!session || (CloseSessionsAfterOneScan && command == "zINSTREAM"))
                {
                    break;
                }

                command = await ReadCommandAsync(stream);
            }

            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task<string> ReadCommandAsync(Stream stream)
    {
        var command = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, _stop.Token) == 1 && one[0] != 0)
        {
            command.Append((char)one[0]);
        }

        return command.ToString();
    }

    private async Task<bool> DrainChunksAsync(Stream stream)
    {
        var prefix = new byte[4];
        var chunk = new byte[64 * 1024];
        while (true)
        {
            await stream.ReadExactlyAsync(prefix, _stop.Token);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(prefix);
            if (length == 0)
            {
                return true;
            }

            while (length > 0)
            {
                var read = await stream.ReadAsync(chunk.AsMemory(0, Math.Min(length, chunk.Length)), _stop.Token);
                if (read == 0)
                {
                    return false;
                }

                length -= read;
            }
        }
    }
}
