using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A byte-level SMTP client for tests that must send exactly what they say (pipelined batches, smuggling
/// attempts, bare line ends) and read each reply as the server sent it.
/// </summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly List<byte> _buffer = new();

    private RawSmtpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawSmtpClient> ConnectAsync(int port, bool readGreeting = true, string? localAddress = null)
    {
        var tcp = localAddress is null
            ? new TcpClient()
            : new TcpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(localAddress), 0));
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawSmtpClient(tcp);
        if (readGreeting)
        {
            var greeting = await client.ReadReplyAsync();
            if (greeting.Code != 220)
            {
                throw new InvalidOperationException("unexpected greeting: " + greeting);
            }
        }

        return client;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command line (CRLF added) and reads its reply.</summary>
    public async Task<Reply> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>EHLO, MAIL, RCPT… and DATA up to the 354.</summary>
    public async Task BeginMessageAsync(string from, params string[] recipients)
    {
        Expect(await CommandAsync("EHLO client.test"), 250);
        Expect(await CommandAsync($"MAIL FROM:<{from}>"), 250);
        foreach (var r in recipients)
        {
            Expect(await CommandAsync($"RCPT TO:<{r}>"), 250);
        }

        Expect(await CommandAsync("DATA"), 354);
    }

    /// <summary>Reads one whole (possibly multi-line) reply; throws on timeout or a closed connection.</summary>
    public async Task<Reply> ReadReplyAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cts.Token) ?? throw new EndOfStreamException(
                "connection closed; lines so far: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return new Reply(int.Parse(line[..3]), lines);
            }
        }
    }

    /// <summary>True when the server closed the connection (reads return 0) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await ReadLineAsync(cts.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_stream, false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync("gw.test");
        _stream = ssl;
    }

    public Stream Stream => _stream;

    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var lf = _buffer.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _buffer.RemoveRange(0, lf + 1);
                return line;
            }

            var chunk = new byte[4096];
            var n = await _stream.ReadAsync(chunk, ct);
            if (n == 0)
            {
                return null;
            }

            _buffer.AddRange(chunk.AsSpan(0, n).ToArray());
        }
    }

    public static Reply Expect(Reply reply, int code) =>
        reply.Code == code ? reply : throw new Xunit.Sdk.XunitException($"expected {code}, got: {reply}");

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    public sealed record Reply(int Code, IReadOnlyList<string> Lines)
    {
        /// <summary>The enhanced status code of the last line, e.g. "5.7.1".</summary>
        public string Enhanced => Lines[^1].Length > 4 ? Lines[^1][4..].Split(' ')[0] : "";

        public string Text => string.Join("\n", Lines);

        public override string ToString() => Text;
    }
}
