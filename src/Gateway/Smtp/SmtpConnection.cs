using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// The byte stream of one client: a <see cref="PipeReader"/> for input and a reply buffer that is flushed only
/// when the client has nothing more pipelined (RFC 2920 batching). STARTTLS swaps the stream for an
/// <see cref="SslStream"/> and throws away anything the client sent in plaintext after the STARTTLS command.
/// </summary>
public sealed class SmtpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly StringBuilder _pending = new();
    private readonly Action<int>? _onReply;
    private Stream _stream;
    private bool _writeInterrupted;

    /// <param name="onReply">Called with each reply code as it is queued (metrics).</param>
    public SmtpConnection(Socket socket, Action<int>? onReply = null)
    {
        _onReply = onReply;
        _socket = socket;
        _socket.NoDelay = true;
        _network = new NetworkStream(socket, ownsSocket: true);
        _stream = _network;
        Reader = CreateReader(_stream);
        RemoteEndPoint = PeerEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
    }

    public PipeReader Reader { get; private set; }

    /// <summary>The client: the socket's peer, or the original client a trusted proxy named in its PROXY header.</summary>
    public IPEndPoint RemoteEndPoint { get; private set; }

    /// <summary>The socket's own peer (the load balancer when there is one).</summary>
    public IPEndPoint PeerEndPoint { get; }

    public void UseProxiedClient(IPEndPoint client) => RemoteEndPoint = client;

    public bool IsTls => _stream is SslStream;

    public SslProtocols? TlsProtocol => (_stream as SslStream)?.SslProtocol;

    /// <summary>Queues a reply; it is sent at the next <see cref="FlushAsync"/>.</summary>
    public void Enqueue(SmtpReply reply)
    {
        reply.AppendTo(_pending);
        _onReply?.Invoke(reply.Code);
    }

    public bool HasPendingReplies => _pending.Length > 0;

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        if (_writeInterrupted)
        {
            throw new IOException("an earlier reply was cut off in the middle; nothing more can be sent");
        }

        // Cancelled before a byte is written: the replies stay queued and a later flush (the abort's) sends them.
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = Encoding.UTF8.GetBytes(_pending.ToString());
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Some of it may have gone out: sending it again would give the client a reply twice or a torn one.
            _pending.Clear();
            _writeInterrupted = true;
            throw;
        }

        _pending.Clear();
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="ready"/> and performs the server side of the TLS handshake. Whatever the reader had
    /// buffered after the STARTTLS line is discarded first (CVE-2011-0411 class), as the caller has already consumed
    /// the STARTTLS line itself.
    /// </summary>
    public async Task UpgradeToTlsAsync(SmtpReply ready, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        if (Reader.TryRead(out var leftover))
        {
            Reader.AdvanceTo(leftover.Buffer.End);
        }

        Enqueue(ready);
        await FlushAsync(cancellationToken);
        await Reader.CompleteAsync();

        var ssl = new SslStream(_network, leaveInnerStreamOpen: true);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
        }, cancellationToken);
        _stream = ssl;
        Reader = CreateReader(ssl);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Reader.CompleteAsync();
        }
        catch (Exception)
        {
            // The connection is going away; nothing left to read.
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        if (_stream is SslStream ssl)
        {
            await ssl.DisposeAsync();
        }

        await _network.DisposeAsync();
    }

    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
}
