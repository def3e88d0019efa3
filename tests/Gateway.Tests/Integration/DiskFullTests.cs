using System.Diagnostics;
using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>Storage:Root on a small tmpfs: a full disk gives 452 4.3.1, nothing half-written, and mail flows again once space returns.</summary>
public class DiskFullTests
{
    private static async Task<int> RunAsync(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(args[0], args[1..]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }

    /// <summary>Runs <paramref name="body"/> with a fresh 4 MB tmpfs mounted at the folder it is given.</summary>
    private static async Task OnSmallTmpfsAsync(Func<string, Task> body)
    {
        var mountPoint = Directory.CreateTempSubdirectory("mailgw-diskfull-").FullName;
        Skip.IfNot(await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint) == 0,
            "mounting a tmpfs needs root");
        try
        {
            await body(mountPoint);
        }
        finally
        {
            await RunAsync("umount", mountPoint);
            Directory.Delete(mountPoint, true);
        }
    }

    [SkippableFact]
    public Task A_full_disk_gives_452_4_3_1_leaves_nothing_half_written_and_recovers() => OnSmallTmpfsAsync(async mountPoint =>
    {
        var root = Path.Combine(mountPoint, "var");
        await using (var gateway = new GatewayProcess(storageRoot: root))
        {
            await gateway.StartAsync();
            // Leave about 600 KB free.
            var filler = Path.Combine(mountPoint, "filler");
            var free = new DriveInfo(mountPoint).AvailableFreeSpace;
            await File.WriteAllBytesAsync(filler, new byte[Math.Max(0, free - 600 * 1024)]);

            var body = "Subject: fill\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('z', 98) + "\r\n", 1000)) + "end of message\r\n";
            var replies = new List<RawSmtpClient.Reply>();
            await using (var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort))
            {
                for (var i = 0; i < 20 && (replies.Count == 0 || replies[^1].Code == 250); i++)
                {
                    if (i == 0)
                    {
                        await client.BeginMessageAsync("fill@sender.test", "full@example.org");
                    }
                    else
                    {
                        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<fill@sender.test>"), 250);
                        RawSmtpClient.Expect(await client.CommandAsync("RCPT TO:<full@example.org>"), 250);
                        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
                    }

                    await client.SendAsync(Encoding.ASCII.GetBytes(body + ".\r\n"));
                    replies.Add(await client.ReadReplyAsync());
                }
            }

            var last = replies[^1];
            Assert.Equal(452, last.Code);
            Assert.Equal("4.3.1", last.Enhanced);
            var stored = gateway.StoredCopies("full@example.org");
            Assert.Equal(replies.Count(r => r.Code == 250), stored.Count);
            Assert.All(stored, f => Assert.EndsWith("end of message\r\n", File.ReadAllText(f)));
            Assert.Empty(Directory.GetFiles(Path.Combine(root, "mail", "full@example.org", "tmp")));

            File.Delete(filler);
            var (code, _) = await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("full@example.org", "after", "space is back"));
            Assert.Equal(250, code);
        }
    });

    [SkippableFact]
    public Task A_message_too_big_for_the_free_space_of_the_spool_gets_452_and_the_session_goes_on() => OnSmallTmpfsAsync(async mountPoint =>
    {
        var root = Path.Combine(mountPoint, "var");
        await using var gateway = new GatewayProcess(storageRoot: root);
        await gateway.StartAsync();
        // About 1 MB free; the message is 2 MB, far over the 256 KB kept in memory, so it spills to the spool.
        var filler = Path.Combine(mountPoint, "filler");
        var free = new DriveInfo(mountPoint).AvailableFreeSpace;
        await File.WriteAllBytesAsync(filler, new byte[Math.Max(0, free - 1024 * 1024)]);

        var big = "Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('y', 98) + "\r\n", 20_000)) + "end of message\r\n";
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("big@sender.test", "spoolfull@example.org");
        await client.SendAsync(Encoding.ASCII.GetBytes(big + ".\r\n"));
        var reply = await client.ReadReplyAsync();

        Assert.Equal(452, reply.Code);
        Assert.Equal("4.3.1", reply.Enhanced);
        Assert.Empty(gateway.StoredCopies("spoolfull@example.org"));
        var spool = Path.Combine(root, "spool");
        Assert.True(!Directory.Exists(spool) || Directory.GetFiles(spool).Length == 0, "a partial spool file was left behind");

        // The session stayed in step: the next message on the same connection is taken once space is back.
        File.Delete(filler);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<big@sender.test>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("RCPT TO:<spoolfull@example.org>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
        await client.SendAsync(Encoding.ASCII.GetBytes(big + ".\r\n"));
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        var stored = Assert.Single(gateway.StoredCopies("spoolfull@example.org"));
        Assert.EndsWith("end of message\r\n", await File.ReadAllTextAsync(stored));
    });
}
