using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

[Collection(ClamdCollection.Name)]
public sealed class ClamdClientTests(ClamdFixture clamd)
{
    private ClamdClient Tcp => new(ClamdEndpoint.Tcp("127.0.0.1", clamd.Port));

    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        Assert.True(await Tcp.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Version_names_the_clamav_engine()
    {
        var version = await Tcp.GetVersionAsync(CancellationToken.None);

        Assert.StartsWith("ClamAV ", version.Raw, StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+", version.Engine);
        Assert.StartsWith("ClamAV " + version.Engine, version.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_eicar_is_found_with_its_signature()
    {
        using var content = new MemoryStream(TestMessages.Eicar);

        var result = await Tcp.ScanAsync(content, CancellationToken.None);

        Assert.Equal(ClamdReplyStatus.Infected, result.Reply.Status);
        Assert.StartsWith("Eicar-Test-Signature", result.Reply.Signature, StringComparison.Ordinal);
        Assert.Equal(TestMessages.Eicar.Length, result.BytesSent);
    }

    [Fact]
    public async Task Clean_content_of_many_chunks_is_ok_and_fully_streamed()
    {
        using var content = TestMessages.Clean(5 * ClamdClient.ChunkSize / 2);

        var result = await Tcp.ScanAsync(content, CancellationToken.None);

        Assert.Equal(ClamdReplyStatus.Clean, result.Reply.Status);
        Assert.Equal("stream: OK", result.Reply.Text);
        Assert.Equal(content.Length, result.BytesSent);
    }

    [Fact]
    public async Task Empty_content_is_ok()
    {
        var result = await Tcp.ScanAsync(Stream.Null, CancellationToken.None);

        Assert.Equal(ClamdReplyStatus.Clean, result.Reply.Status);
        Assert.Equal(0, result.BytesSent);
    }

    [Fact]
    public async Task Content_over_stream_max_length_gets_the_size_limit_reply()
    {
        // Far more than the socket buffers hold, so the upload must stop when clamd answers.
        using var content = new RepeatingStream(1L << 30);

        var result = await Tcp.ScanAsync(content, CancellationToken.None);

        Assert.Equal(ClamdReplyStatus.SizeLimitExceeded, result.Reply.Status);
        Assert.Contains("size limit exceeded", result.Reply.Text, StringComparison.Ordinal);
        Assert.True(result.BytesSent < content.Length, "the upload stops once clamd has answered");
    }

    [Fact]
    public async Task Unix_socket_endpoint_scans_and_pings()
    {
        var client = new ClamdClient(ClamdEndpoint.Unix(clamd.SocketPath));
        using var content = TestMessages.WithAttachment("eicar.com", TestMessages.Eicar);

        Assert.True(await client.PingAsync(CancellationToken.None));
        var result = await client.ScanAsync(content, CancellationToken.None);

        Assert.Equal(ClamdReplyStatus.Infected, result.Reply.Status);
        Assert.StartsWith("Eicar-Test-Signature", result.Reply.Signature, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_port_throws_a_connection_exception()
    {
        var client = new ClamdClient(ClamdEndpoint.Tcp("127.0.0.1", ClamdFixture.FreeLoopbackPort()));

        await Assert.ThrowsAsync<ClamdConnectionException>(() => client.PingAsync(CancellationToken.None));
    }
}
