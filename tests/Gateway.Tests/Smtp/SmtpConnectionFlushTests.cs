using System.Net;
using System.Net.Sockets;
using System.Text;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

/// <summary>Replies cut off by a cancelled flush: queued ones wait for the next flush, half-sent ones never go twice.</summary>
public class SmtpConnectionFlushTests
{
    [Fact]
    public async Task A_flush_cancelled_before_it_starts_keeps_the_replies_for_the_next_one()
    {
        var (server, client) = await ConnectedPairAsync();
        await using var connection = new SmtpConnection(server);
        using var _ = client;
        connection.Enqueue(SmtpReply.Queued("ABC123"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            connection.FlushAsync(new CancellationToken(canceled: true)).AsTask());
        Assert.True(connection.HasPendingReplies);
        await connection.FlushAsync(CancellationToken.None);

        var buffer = new byte[256];
        var n = await client.ReceiveAsync(buffer);
        Assert.Equal("250 2.0.0 Ok: queued as ABC123\r\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public async Task A_flush_cancelled_in_the_middle_is_not_sent_again()
    {
        var (server, client) = await ConnectedPairAsync();
        server.SendBufferSize = 4096;
        client.ReceiveBufferSize = 4096;
        await using var connection = new SmtpConnection(server);
        using var _ = client;
        // Far more than the socket buffers hold, and the client reads nothing: the write blocks part-way.
        var line = new string('x', 500);
        for (var i = 0; i < 20_000; i++)
        {
            connection.Enqueue(new SmtpReply(250, null, line));
        }

        using var cut = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.FlushAsync(cut.Token).AsTask());

        // Refused at once; resending the whole buffer would block again on the client that reads nothing.
        connection.Enqueue(SmtpReply.ServiceUnavailableShuttingDown);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<IOException>(() => connection.FlushAsync(limit.Token).AsTask());
    }

    private static async Task<(Socket Server, Socket Client)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        return (server, client);
    }
}
