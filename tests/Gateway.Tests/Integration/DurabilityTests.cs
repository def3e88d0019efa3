using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

public class DurabilityTests
{
    [Theory]
    [InlineData("FileSystem")]
    [InlineData("PerFile")]
    public async Task A_message_acknowledged_with_250_is_complete_in_new_after_sigkill(string sync)
    {
        for (var round = 0; round < 3; round++)
        {
            await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Storage:Sync"] = sync });
            var body = new StringBuilder($"Subject: durable {round}\r\n\r\n");
            for (var i = 0; i < 2000; i++)
            {
                body.Append($"line {i} of a message that must survive a crash\r\n");
            }

            await using (var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort))
            {
                await client.BeginMessageAsync("a@sender.test", "durable@example.org", "second@example.org");
                await client.SendAsync(Encoding.ASCII.GetBytes(body + ".\r\n"));
                RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
                await gateway.KillAsync();
            }

            foreach (var rcpt in new[] { "durable@example.org", "second@example.org" })
            {
                var stored = Assert.Single(gateway.StoredCopies(rcpt));
                Assert.Equal(Encoding.ASCII.GetBytes(body.ToString()), StoredMessage.WithoutOurReceived(stored));
            }

            Assert.Empty(Directory.GetFiles(Path.Combine(gateway.StorageRoot, "mail", "durable@example.org", "tmp")));
        }
    }

    [Fact]
    public async Task Stale_temporary_files_are_removed_at_start_and_delivered_mail_is_kept()
    {
        var root = Path.Combine(Path.GetTempPath(), "mailgw-stale-" + Guid.NewGuid().ToString("N")[..8]);
        var tmp = Path.Combine(root, "mail", "bob@example.org", "tmp");
        var junkTmp = Path.Combine(root, "mail", "bob@example.org", ".Junk", "tmp");
        var newDir = Path.Combine(root, "mail", "bob@example.org", "new");
        var spool = Path.Combine(root, "spool");
        foreach (var d in new[] { tmp, junkTmp, newDir, spool })
        {
            Directory.CreateDirectory(d);
        }

        await File.WriteAllTextAsync(Path.Combine(tmp, "half-written"), "Subject: par");
        await File.WriteAllTextAsync(Path.Combine(junkTmp, "half-written"), "Subject: par");
        await File.WriteAllTextAsync(Path.Combine(spool, "x.spool"), "partial");
        await File.WriteAllTextAsync(Path.Combine(newDir, "1.done.host,S=10"), "Subject: ok\r\n\r\n");

        await using var gateway = new GatewayProcess(storageRoot: root);
        await gateway.StartAsync();
        Assert.Empty(Directory.GetFiles(tmp));
        Assert.Empty(Directory.GetFiles(junkTmp));
        Assert.Empty(Directory.GetFiles(spool));
        Assert.Single(Directory.GetFiles(newDir));
        Assert.True(await gateway.WaitForOutputAsync("removed 3 stale temporary files"), gateway.Output);
    }
}
