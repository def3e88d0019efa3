using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// CHUNKING (RFC 3030): BDAT chunks make one message, stored under the DATA path's rules; the octet count, never a
/// dot, ends the data; a refused chunk is still read, so a pipelining client stays in step.
/// </summary>
[Collection(SharedGatewayCollection.Name)]
public class ChunkingTests(SharedGateway shared)
{
    private GatewayProcess Gateway => shared.Gateway;

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..16] + "@example.org";

    private static byte[] Bdat(string chunk, bool last = false)
    {
        var data = Encoding.UTF8.GetBytes(chunk);
        return Encoding.ASCII.GetBytes($"BDAT {data.Length}{(last ? " LAST" : "")}\r\n").Concat(data).ToArray();
    }

    private async Task<RawSmtpClient> TransactionAsync(params string[] to)
    {
        var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<chunks@sender.test> BODY=8BITMIME"), 250);
        foreach (var r in to)
        {
            RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<{r}>"), 250);
        }

        return client;
    }

    [Fact]
    public async Task Ehlo_offers_chunking()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        var reply = await client.CommandAsync("EHLO client.test");
        Assert.Contains(reply.Lines, l => l.EndsWith("CHUNKING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipelined_chunks_make_one_message_stored_as_sent_with_a_dot_line_inside_it()
    {
        var to = Unique("bdat");
        await using var client = await TransactionAsync(to);
        var parts = new[] { "Subject: chunked\r\nX-Spam-Flag: NO\r\n\r\nfirst ", "line\r\n.\r\nnot the end\r\n..two dots\r\n", "caf\u00e9 last\r\n" };
        await client.SendAsync(Bdat(parts[0]).Concat(Bdat(parts[1])).Concat(Bdat(parts[2], last: true)).ToArray());

        var first = await client.ReadReplyAsync();
        Assert.Equal(250, first.Code);
        Assert.Contains($"{Encoding.UTF8.GetByteCount(parts[0])} octets received", first.Text);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        var last = await client.ReadReplyAsync();
        Assert.Equal(250, last.Code);
        Assert.Contains("queued as", last.Text);

        var stored = Assert.Single(Gateway.StoredCopies(to));
        // The cleanup stage works on chunks as on DATA: the planted verdict is gone, the rest is byte for byte.
        Assert.Equal(Encoding.UTF8.GetBytes("Subject: chunked\r\n\r\nfirst line\r\n.\r\nnot the end\r\n..two dots\r\ncaf\u00e9 last\r\n"),
            StoredMessage.WithoutOurReceived(stored));
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Bare_line_feeds_in_chunks_are_stored_as_crlf_and_a_zero_size_last_chunk_ends_the_message()
    {
        var to = Unique("bdatlf");
        await using var client = await TransactionAsync(to);
        await client.SendAsync(Bdat("Subject: lf\n\nline one\nline two\r"));
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        await client.SendAsync(Bdat("\nend\r\n").Concat(Bdat("", last: true)).ToArray());
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal("Subject: lf\r\n\r\nline one\r\nline two\r\nend\r\n",
            Encoding.UTF8.GetString(StoredMessage.WithoutOurReceived(Assert.Single(Gateway.StoredCopies(to)))));
    }

    [Fact]
    public async Task Bdat_out_of_sequence_gets_503_and_its_octets_are_not_read_as_commands()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        await client.SendAsync(Bdat("MAIL FROM:<smuggled@sender.test>\r\nRCPT TO:<x@example.org>\r\n", last: true));
        var reply = await client.ReadReplyAsync();
        Assert.Equal(503, reply.Code);
        Assert.Equal("5.5.1", reply.Enhanced);
        // Had the octets been read as commands, MAIL would have started a transaction and this MAIL would get 503.
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Code);
    }

    [Fact]
    public async Task Data_after_a_chunk_is_refused_and_rset_drops_the_chunks()
    {
        var to = Unique("bdatrset");
        await using var client = await TransactionAsync(to);
        await client.SendAsync(Bdat("Subject: dropped\r\n\r\n"));
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(503, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(503, (await client.CommandAsync($"RCPT TO:<{to}>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RSET")).Code);
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<x@example.org>")).Code);
        Assert.Empty(Gateway.StoredCopies(to));
    }

    [Fact]
    public async Task A_chunk_past_the_size_limit_gets_552_and_the_pipelined_chunks_after_it_get_503_in_step()
    {
        var to = Unique("bdatbig");
        await using var client = await TransactionAsync(to);
        var big = "Subject: big\r\n\r\n" + new string('x', (int)SharedGateway.MaxMessageBytes) + "\r\n";
        await client.SendAsync(Bdat(big).Concat(Bdat("more\r\n", last: true)).ToArray());
        var tooBig = await client.ReadReplyAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(552, tooBig.Code);
        Assert.Equal("5.3.4", tooBig.Enhanced);
        Assert.Equal(503, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Empty(Gateway.StoredCopies(to));
    }

    [Theory]
    [InlineData("BDAT")]
    [InlineData("BDAT x LAST")]
    [InlineData("BDAT 10 FIRST")]
    public async Task Bdat_without_a_valid_size_gets_501_and_the_connection_is_closed(string command)
    {
        await using var client = await TransactionAsync(Unique("bdatbad"));
        var reply = await client.CommandAsync(command);
        Assert.Equal(501, reply.Code);
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
    }
}
