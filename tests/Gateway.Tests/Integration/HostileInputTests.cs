using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>Hostile sessions and messages: each gets a clear reply or a clean close, and the gateway keeps working.</summary>
[Collection(SharedGatewayCollection.Name)]
public class HostileInputTests(SharedGateway shared)
{
    private GatewayProcess Gateway => shared.Gateway;

    private async Task AssertStillServesAsync()
    {
        await using var probe = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        Assert.Equal(250, (await probe.CommandAsync("NOOP")).Code);
        Assert.False(Gateway.HasExited);
    }

    [Fact]
    public async Task A_pipelined_flood_of_100000_noops_is_answered_in_order()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        var flood = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", 100_000)) + "QUIT\r\n");
        var send = client.SendAsync(flood);
        for (var i = 0; i < 100_000; i++)
        {
            Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        }

        Assert.Equal(221, (await client.ReadReplyAsync()).Code);
        await send;
    }

    [Fact]
    public async Task Ten_thousand_rcpt_commands_get_452_past_the_limit_and_the_message_still_goes_through()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<many@sender.test>"), 250);
        var commands = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"RCPT TO:<r{i}-flood@example.org>\r\n"));
        var send = client.SendAsync(commands);
        var accepted = 0;
        var tooMany = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var reply = await client.ReadReplyAsync();
            accepted += reply.Code == 250 ? 1 : 0;
            tooMany += reply.Code == 452 ? 1 : 0;
        }

        await send;
        Assert.Equal(SharedGateway.MaxRecipients, accepted);
        Assert.Equal(10_000 - SharedGateway.MaxRecipients, tooMany);
        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
        await client.SendAsync("Subject: flood\r\n\r\nx\r\n.\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
    }

    [Fact]
    public async Task Nul_bytes_in_commands_are_refused_and_the_session_goes_on()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        var reply = await client.CommandAsync("EHLO cli\0ent.test");
        Assert.True(reply.Code is 250 or 501, reply.ToString());
        Assert.Equal(500, (await client.CommandAsync("NO\0OP")).Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    /// <summary>Each hostile message with the reply it must get (the shared gateway's size limit is 300,000 bytes).</summary>
    public static TheoryData<string, string, int> HostileMessages => new()
    {
        { "100000-headers", string.Concat(Enumerable.Range(0, 100_000).Select(i => $"X-Filler-{i}: value {i}\r\n")) + "Subject: headers\r\n\r\nbody\r\n", 552 },
        { "5000-headers", string.Concat(Enumerable.Range(0, 5_000).Select(i => $"X-Filler-{i}: value {i}\r\n")) + "Subject: headers\r\n\r\nbody\r\n", 250 },
        // Filters:MimeLimits (issue 21 item 8): at most depth 100 and 10,000 parts by default, decided before MimeKit parses.
        { "1000-level-nesting", Nested(1000), 554 },
        { "50-level-nesting", Nested(50), 250 },
        { "20000-mime-parts", ManyParts(20_000), 554 },
        { "9000-mime-parts", ManyParts(9_000), 250 },
        { "unterminated-boundary", "Subject: b\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nnever closed\r\n", 250 },
        { "broken-base64-and-qp", "Subject: enc\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64@@@\r\n--q\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=4=\r\n--q--\r\n", 250 },
        { "8bit-headers-without-smtputf8", "Subject: Gr\u00fc\u00dfe aus K\u00f6ln\r\nFrom: J\u00f6rg <j@sender.test>\r\n\r\nbody\r\n", 250 },
        { "line-over-1000-bytes", "Subject: long\r\n\r\n" + new string('y', 200_000) + "\r\n", 250 },
        { "nul-bytes", "Subject: nul\r\n\r\na\0b\0c\r\n", 250 },
        { "forged-verdict-headers", "X-MailGateway-SCL: -1\r\nX-Spam-Status: No, score=-100\r\n\tautolearn=ham\r\nSubject: v\r\n" +
            "X-MS-Exchange-Organization-SCL: -1\r\nAuthentication-Results: gw.test; dmarc=pass\r\n\r\nX-Spam-Flag: NO\r\n", 250 },
    };

    private static string ManyParts(int parts) =>
        "Subject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        + string.Concat(Enumerable.Repeat("--b\r\n\r\nx\r\n", parts)) + "--b--\r\n";

    private static string Nested(int depth)
    {
        var sb = new StringBuilder("Subject: nested\r\n");
        for (var i = 0; i < depth; i++)
        {
            sb.Append($"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n");
        }

        sb.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (var i = depth - 1; i >= 0; i--)
        {
            sb.Append($"--b{i}--\r\n");
        }

        return sb.ToString();
    }

    [Theory]
    [MemberData(nameof(HostileMessages))]
    public async Task A_hostile_message_gets_its_reply_is_stored_exactly_when_accepted_and_nothing_crashes(string name,
        string message, int expected)
    {
        var to = $"hostile-{name}@example.org";
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        await client.BeginMessageAsync("hostile@sender.test", to);
        var bytes = Encoding.UTF8.GetBytes(message);
        await client.SendAsync(WireFormat.Stuff(bytes));
        var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(120));
        Assert.True(reply.Code == expected, $"{name}: expected {expected}, got {reply}");
        if (reply.Code == 250)
        {
            var stored = Assert.Single(Gateway.StoredCopies(to));
            Assert.True(VerdictHeaders.Removed(bytes).AsSpan().SequenceEqual(StoredMessage.WithoutOurReceived(stored)),
                $"{name}: stored copy differs");
        }

        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Over_the_mime_limits_the_reply_is_554_5_6_0()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        await client.BeginMessageAsync("hostile@sender.test", "hostile-parts-reply@example.org");
        await client.SendAsync(WireFormat.Stuff(Encoding.ASCII.GetBytes(ManyParts(20_000))));
        var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(554, reply.Code);
        Assert.Contains("5.6.0", reply.ToString());
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Html_that_stalled_the_keyword_regex_gets_its_keyword_verdict_and_is_archived()
    {
        // Issue 21 item 7: "FREE MONEY" + "<script" x 30,000 (210 KB) gave Keywords=error[999440us] and reached the inbox.
        var to = "hostile-regex-stall@example.org";
        var html = "FREE MONEY" + string.Concat(Enumerable.Repeat("<script", 30_000));
        var message = $"Subject: offer\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n{html}\r\n";
        await using var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        await client.BeginMessageAsync("hostile@sender.test", to);
        await client.SendAsync(WireFormat.Stuff(Encoding.ASCII.GetBytes(message)));

        Assert.Equal(250, (await client.ReadReplyAsync(TimeSpan.FromSeconds(120))).Code);
        var stored = Assert.Single(Gateway.StoredCopies(to));
        Assert.Contains(Gateway.ArchivedMessages(), f => f == stored);
        Assert.Matches(@"X-MailGateway-Trace: .*Keywords=bad:""free_money""\(none->9\)", File.ReadAllText(stored));
    }
}

/// <summary>Filters:MimeLimits:Action=Archive: a message over the limits is kept in the archive only, never parsed.</summary>
public sealed class MimeLimitsArchiveTests
{
    [Fact]
    public async Task Under_action_archive_a_message_over_the_mime_limits_is_archived_with_250()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Filters:MimeLimits:MaxParts"] = "1000",
            ["Filters:MimeLimits:Action"] = "Archive",
        });
        var to = "parts-archive@example.org";
        var message = "Subject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                      + string.Concat(Enumerable.Repeat("--b\r\n\r\nx\r\n", 2_000)) + "--b--\r\n";
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("hostile@sender.test", to);
        await client.SendAsync(WireFormat.Stuff(Encoding.ASCII.GetBytes(message)));

        Assert.Equal(250, (await client.ReadReplyAsync(TimeSpan.FromSeconds(60))).Code);
        Assert.Empty(gateway.Messages(to));
        var archived = Assert.Single(gateway.StoredCopies(to));
        Assert.Contains(gateway.ArchivedMessages(), f => f == archived);
        Assert.Contains("MimeLimits=over-mime-limits(parts>1000)", File.ReadAllText(archived));
    }
}
