using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

[Collection(SharedGatewayCollection.Name)]
public class ProtocolErrorTests(SharedGateway shared)
{
    private int Port => shared.Gateway.SmtpPort;

    [Fact]
    public async Task Out_of_sequence_commands_get_503_5_5_1()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        AssertReply(await client.CommandAsync("MAIL FROM:<a@b.test>"), 503, "5.5.1");
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        AssertReply(await client.CommandAsync("RCPT TO:<bob@example.org>"), 503, "5.5.1");
        AssertReply(await client.CommandAsync("DATA"), 503, "5.5.1");
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<a@b.test>"), 250);
        AssertReply(await client.CommandAsync("MAIL FROM:<a@b.test>"), 503, "5.5.1");
        AssertReply(await client.CommandAsync("DATA"), 503, "5.5.1");
    }

    [Fact]
    public async Task Unknown_commands_get_500_5_5_2_and_syntax_errors_501_5_5_4()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        AssertReply(await client.CommandAsync("FROB"), 500, "5.5.2");
        AssertReply(await client.CommandAsync("EHLO"), 501, "5.5.4");
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        AssertReply(await client.CommandAsync("MAIL FROM:a@b.test"), 501, "5.5.4");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@b.test> SIZE=abc"), 501, "5.5.4");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@b.test> RET=FULL"), 555, "5.5.4");
        AssertReply(await client.CommandAsync("MAIL FROM:<a..b@b.test>"), 553, "5.1.7");
    }

    [Fact]
    public async Task Every_reply_after_the_greeting_has_an_enhanced_status_code()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        foreach (var command in new[] { "HELO client.test", "NOOP", "VRFY bob", "HELP", "RSET", "FROB", "MAIL FROM:<a@b.test>", "RCPT TO:<x@elsewhere.test>", "QUIT" })
        {
            var reply = await client.CommandAsync(command);
            Assert.Matches(@"^[245]\.\d{1,3}\.\d{1,3}$", reply.Enhanced);
        }
    }

    [Fact]
    public async Task Vrfy_gets_252()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        AssertReply(await client.CommandAsync("VRFY bob@example.org"), 252, "2.5.0");
    }

    [Fact]
    public async Task Too_many_errors_end_the_session_with_421()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        RawSmtpClient.Reply? last = null;
        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync("FROB\r\n");
        }

        for (var i = 0; i < 10; i++)
        {
            last = await client.ReadReplyAsync();
        }

        Assert.Equal(500, last!.Code);
        var closing = await client.ReadReplyAsync();
        AssertReply(closing, 421, "4.7.0");
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_command_line_over_the_limit_is_refused_and_the_session_goes_on()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        await client.SendAsync("NOOP " + new string('x', 10_000) + "\r\n");
        AssertReply(await client.ReadReplyAsync(), 500, "5.5.2");
        RawSmtpClient.Expect(await client.CommandAsync("NOOP"), 250);
    }

    [Fact]
    public async Task A_command_sent_one_byte_at_a_time_is_understood()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        foreach (var b in "NOOP\r\n"u8.ToArray())
        {
            await client.SendAsync([b]);
            await Task.Delay(20);
        }

        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");
    }

    [Fact]
    public async Task Too_many_recipients_get_452_4_5_3_and_the_accepted_ones_are_delivered()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<a@b.test>"), 250);
        for (var i = 0; i < SharedGateway.MaxRecipients; i++)
        {
            RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<r{i}-{id}@example.org>"), 250);
        }

        AssertReply(await client.CommandAsync($"RCPT TO:<over-{id}@example.org>"), 452, "4.5.3");
        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
        await client.SendAsync("Subject: many\r\n\r\nx\r\n.\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
        for (var i = 0; i < SharedGateway.MaxRecipients; i++)
        {
            Assert.Single(shared.Gateway.StoredCopies($"r{i}-{id}@example.org"));
        }

        Assert.Empty(shared.Gateway.StoredCopies($"over-{id}@example.org"));
    }

    [Fact]
    public async Task A_recipient_given_twice_gets_one_copy()
    {
        var to = $"twice-{Guid.NewGuid():N}"[..16] + "@example.org";
        await using var client = await RawSmtpClient.ConnectAsync(Port);
        await client.BeginMessageAsync("a@b.test", to, to.ToUpperInvariant().Replace("@EXAMPLE.ORG", "@example.org"));
        await client.SendAsync("Subject: once\r\n\r\nx\r\n.\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
        Assert.Single(shared.Gateway.StoredCopies(to));
    }

    private static void AssertReply(RawSmtpClient.Reply reply, int code, string enhanced)
    {
        Assert.True(reply.Code == code && reply.Enhanced == enhanced, $"expected {code} {enhanced}, got {reply}");
    }
}
