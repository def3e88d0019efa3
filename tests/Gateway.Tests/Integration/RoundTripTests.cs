using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

[Collection(SharedGatewayCollection.Name)]
public class RoundTripTests(SharedGateway shared)
{
    private GatewayProcess Gateway => shared.Gateway;

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..20] + "@example.org";

    [Fact]
    public async Task Raw_client_message_is_stored_byte_exact_after_dot_unstuffing()
    {
        var to = Unique("exact");
        var body = "From: a@b.test\r\nTo: " + to + "\r\nSubject: exact\r\n\r\n.starts with a dot\r\n..two dots\r\n" +
                   "caf\u00e9 8-bit\r\n\tTab line\r\n \r\n.\r\nlast line without dots\r\n";
        var stuffed = string.Join("\r\n", body.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l));
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        await client.BeginMessageAsync("a@b.test", to);
        await client.SendAsync(Encoding.Latin1.GetBytes(stuffed + ".\r\n"));
        var reply = RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
        Assert.Equal("2.0.0", reply.Enhanced);

        var stored = Assert.Single(Gateway.StoredCopies(to));
        Assert.Equal(Encoding.Latin1.GetBytes(body), StoredMessage.WithoutOurReceived(stored));
    }

    [Fact]
    public async Task MailKit_message_arrives_with_a_received_header_and_identical_content()
    {
        var to = Unique("mailkit");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@sender.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "MailKit round trip";
        var builder = new BodyBuilder { TextBody = "Hello\r\n.\r\n..\r\nBye\r\n" };
        builder.Attachments.Add("data.bin", Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());
        message.Body = builder.ToMessageBody();

        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", Gateway.SmtpPort, MailKit.Security.SecureSocketOptions.None);
            var response = await smtp.SendAsync(message);
            Assert.StartsWith("2.0.0 Ok: queued as", response);
            await smtp.DisconnectAsync(true);
        }

        var stored = Assert.Single(Gateway.StoredCopies(to));
        var text = await File.ReadAllTextAsync(stored);
        Assert.Matches(@"(?m)^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby gw\.test \(MailGateway\) with ESMTP id [0-9a-f]{32}\r\n\tfor <", text);
        var expected = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, expected);
        Assert.Equal(expected.ToArray(), StoredMessage.WithoutOurReceived(stored));
        using var parsed = MimeMessage.Load(stored);
        Assert.Equal("MailKit round trip", parsed.Subject);
        var decoded = new MemoryStream();
        ((MimePart)parsed.Attachments.Single()).Content!.DecodeTo(decoded);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray(), decoded.ToArray());
    }

    [Fact]
    public async Task Pipelined_mail_rcpt_and_data_in_one_write_get_replies_in_order()
    {
        var to1 = Unique("pipe1");
        var to2 = Unique("pipe2");
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        var ehlo = RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        Assert.Contains(ehlo.Lines, l => l.EndsWith("PIPELINING"));
        await client.SendAsync($"MAIL FROM:<p@sender.test>\r\nRCPT TO:<{to1}>\r\nRCPT TO:<nobody@elsewhere.test>\r\n" +
                               $"RCPT TO:<{to2}>\r\nDATA\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(550, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(354, (await client.ReadReplyAsync()).Code);
        // The message and the next transaction in one write, too.
        await client.SendAsync($"Subject: pipelined\r\n\r\nbody\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(221, (await client.ReadReplyAsync()).Code);
        Assert.Single(Gateway.StoredCopies(to1));
        Assert.Single(Gateway.StoredCopies(to2));
    }

    [Fact]
    public async Task Pipelined_data_after_all_recipients_failed_gets_554_and_the_message_text_is_not_taken_as_commands()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        await client.SendAsync("MAIL FROM:<p@sender.test>\r\nRCPT TO:<x@elsewhere.test>\r\nDATA\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(550, (await client.ReadReplyAsync()).Code);
        var data = await client.ReadReplyAsync();
        Assert.Equal(554, data.Code);
        Assert.Equal("5.5.1", data.Enhanced);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Eight_bit_mime_and_smtputf8_addresses_are_delivered()
    {
        var local = "usér" + Guid.NewGuid().ToString("N")[..6];
        var to = local + "@example.org";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Jörg", "jörg@absender.test"));
        message.To.Add(new MailboxAddress("", to));
        message.Subject = "Grüße";
        message.Body = new TextPart("plain") { Text = "8-bit body: ünïcødé\r\n", ContentTransferEncoding = ContentEncoding.EightBit };

        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", Gateway.SmtpPort, MailKit.Security.SecureSocketOptions.None);
            Assert.True(smtp.Capabilities.HasFlag(SmtpCapabilities.UTF8));
            Assert.True(smtp.Capabilities.HasFlag(SmtpCapabilities.EightBitMime));
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        var stored = Assert.Single(Gateway.StoredCopies(to));
        var text = await File.ReadAllTextAsync(stored, Encoding.UTF8);
        Assert.Contains("with UTF8SMTP id", text);
        Assert.Contains("ünïcødé", text);
    }

    [Fact]
    public async Task Non_ascii_address_without_smtputf8_is_refused_with_5_6_7()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        var mail = await client.CommandAsync("MAIL FROM:<jörg@absender.test>");
        Assert.Equal(553, mail.Code);
        Assert.Equal("5.6.7", mail.Enhanced);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<a@absender.test>"), 250);
        var rcpt = await client.CommandAsync("RCPT TO:<jörg@example.org>");
        Assert.Equal(553, rcpt.Code);
    }

    [Fact]
    public async Task Swaks_sends_a_message_that_is_stored()
    {
        var to = Unique("swaks");
        var result = await ExternalTool.RunAsync("swaks", "--server", $"127.0.0.1:{Gateway.SmtpPort}", "--to", to,
            "--from", "swaks@sender.test", "--helo", "swaks.test", "--header", "Subject: from swaks",
            "--body", "hello from swaks", "--pipeline");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("250 2.0.0 Ok: queued as", result.Output);
        var stored = Assert.Single(Gateway.StoredCopies(to));
        Assert.Contains("Subject: from swaks", await File.ReadAllTextAsync(stored));
    }
}
