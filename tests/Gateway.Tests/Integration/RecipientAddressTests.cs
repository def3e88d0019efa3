using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// Recipient addresses in one canonical form (IDNA domain, unquoted local part where quotes are not needed), and
/// refused at RCPT when they could never be stored: nothing is accepted that then defers at DATA on every retry.
/// </summary>
[Collection(SharedGatewayCollection.Name)]
public class RecipientAddressTests(SharedGateway shared)
{
    private GatewayProcess Gateway => shared.Gateway;

    private static string Unique(string local) => $"{local}{Guid.NewGuid():N}"[..16];

    private async Task<RawSmtpClient> TransactionAsync(bool smtpUtf8 = false)
    {
        var client = await RawSmtpClient.ConnectAsync(Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<a@sender.test>" + (smtpUtf8 ? " SMTPUTF8" : "")), 250);
        return client;
    }

    [Theory]
    [InlineData(65)]
    [InlineData(256)]
    public async Task A_local_part_over_64_octets_is_refused_at_rcpt_with_553_5_1_3(int length)
    {
        await using var client = await TransactionAsync();
        var reply = await client.CommandAsync($"RCPT TO:<{new string('a', length)}@example.org>");
        Assert.Equal(553, reply.Code);
        Assert.Equal("5.1.3", reply.Enhanced);
    }

    [Fact]
    public async Task A_utf8_local_part_of_200_characters_is_refused_at_rcpt_and_the_other_recipient_is_delivered()
    {
        var good = Unique("utf8ok") + "@example.org";
        await using var client = await TransactionAsync(smtpUtf8: true);
        var reply = await client.CommandAsync($"RCPT TO:<{new string('\u00e9', 200)}@example.org>");
        Assert.Equal(553, reply.Code);
        RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<{good}>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
        await client.SendAsync("Subject: long local part\r\n\r\nbody\r\n.\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
        Assert.Single(Gateway.StoredCopies(good));
    }

    [Fact]
    public async Task Spellings_of_one_mailbox_are_stored_in_one_mailbox_once()
    {
        var local = Unique("canon");
        await using var client = await TransactionAsync(smtpUtf8: true);
        RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<{local}@example\u3002org>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<\"{local}\"@example.org>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<{local.ToUpperInvariant()}@EXAMPLE.ORG.>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
        await client.SendAsync("Subject: one mailbox\r\n\r\nbody\r\n.\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);

        var mail = Path.Combine(Gateway.StorageRoot, "mail");
        var folders = Directory.GetDirectories(mail).Select(Path.GetFileName)
            .Where(f => f!.Contains(local, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{local}@example.org"], folders);
        Assert.Single(Gateway.StoredCopies($"{local}@example.org"));
    }

    [Fact]
    public async Task A_domain_with_two_trailing_dots_is_refused()
    {
        await using var client = await TransactionAsync();
        Assert.Equal(553, (await client.CommandAsync("RCPT TO:<bob@example.org..>")).Code);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_command_is_refused_with_500_and_never_becomes_a_replacement_character()
    {
        await using var client = await TransactionAsync(smtpUtf8: true);
        var line = Encoding.ASCII.GetBytes("RCPT TO:<bob").Concat(new byte[] { 0xC3, 0x28, 0xFF })
            .Concat(Encoding.ASCII.GetBytes("@example.org>\r\n")).ToArray();
        await client.SendAsync(line);
        var reply = await client.ReadReplyAsync();
        Assert.Equal(500, reply.Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(Gateway.StorageRoot, "mail")).Select(Path.GetFileName),
            f => f!.Contains('\uFFFD'));
    }

    [Fact]
    public async Task The_received_for_clause_keeps_a_utf8_recipient_intact()
    {
        var to = "j\u00f6rg" + Unique("") + "@example.org";
        await using var client = await TransactionAsync(smtpUtf8: true);
        RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<{to}>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
        await client.SendAsync("Subject: utf8\r\n\r\nbody\r\n.\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
        var text = await File.ReadAllTextAsync(Assert.Single(Gateway.StoredCopies(to)), Encoding.UTF8);
        Assert.Contains($"for <{to}>;", text);
    }

    [Fact]
    public async Task Localhost_is_not_an_accepted_domain_by_default()
    {
        await using var client = await TransactionAsync();
        var reply = await client.CommandAsync("RCPT TO:<root@localhost>");
        Assert.Equal(550, reply.Code);
        Assert.Equal("5.7.1", reply.Enhanced);
    }
}
