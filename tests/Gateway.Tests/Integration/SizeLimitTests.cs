using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

[Collection(SharedGatewayCollection.Name)]
public class SizeLimitTests(SharedGateway shared)
{
    [Fact]
    public async Task Ehlo_advertises_the_size_limit()
    {
        await using var client = await RawSmtpClient.ConnectAsync(shared.Gateway.SmtpPort);
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.Contains($"250-SIZE {SharedGateway.MaxMessageBytes}", ehlo.Lines);
    }

    [Fact]
    public async Task Mail_from_with_size_over_the_limit_gets_552_5_3_4_before_any_data()
    {
        await using var client = await RawSmtpClient.ConnectAsync(shared.Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        var reply = await client.CommandAsync($"MAIL FROM:<big@sender.test> SIZE={SharedGateway.MaxMessageBytes + 1}");
        Assert.Equal(552, reply.Code);
        Assert.Equal("5.3.4", reply.Enhanced);
        RawSmtpClient.Expect(await client.CommandAsync($"MAIL FROM:<big@sender.test> SIZE={SharedGateway.MaxMessageBytes}"), 250);
    }

    [Fact]
    public async Task Data_over_the_limit_is_read_to_its_end_refused_with_552_and_nothing_is_kept()
    {
        var to = $"big-{Guid.NewGuid():N}"[..14] + "@example.org";
        await using var client = await RawSmtpClient.ConnectAsync(shared.Gateway.SmtpPort);
        await client.BeginMessageAsync("big@sender.test", to);
        var line = new string('x', 998) + "\r\n";
        var body = new StringBuilder("Subject: big\r\n\r\n");
        while (body.Length < SharedGateway.MaxMessageBytes * 2)
        {
            body.Append(line);
        }

        await client.SendAsync(Encoding.ASCII.GetBytes(body + ".\r\n"));
        var reply = await client.ReadReplyAsync();
        Assert.Equal(552, reply.Code);
        Assert.Equal("5.3.4", reply.Enhanced);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Empty(shared.Gateway.StoredCopies(to));
        Assert.Empty(Directory.Exists(Path.Combine(shared.Gateway.StorageRoot, "spool"))
            ? Directory.GetFiles(Path.Combine(shared.Gateway.StorageRoot, "spool"))
            : []);
    }

    [Fact]
    public async Task A_message_bigger_than_the_memory_spool_is_stored_intact()
    {
        var to = $"spill-{Guid.NewGuid():N}"[..14] + "@example.org";
        await using var client = await RawSmtpClient.ConnectAsync(shared.Gateway.SmtpPort);
        await client.BeginMessageAsync("big@sender.test", to);
        var body = new StringBuilder("Subject: spill\r\n\r\n");
        var n = 0;
        while (body.Length < SharedGateway.MaxMessageBytes - 2000)
        {
            body.Append($"line {n++} ").Append('y', 80).Append("\r\n");
        }

        await client.SendAsync(Encoding.ASCII.GetBytes(body + ".\r\n"));
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
        var stored = Assert.Single(shared.Gateway.StoredCopies(to));
        Assert.Equal(Encoding.ASCII.GetBytes(body.ToString()), StoredMessage.WithoutOurReceived(stored));
    }
}
