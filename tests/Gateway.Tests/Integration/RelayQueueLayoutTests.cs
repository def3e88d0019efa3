using System.Collections.Concurrent;
using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// The relay queue's file layout seen from outside a real gateway process: one file per message, a state file only
/// after an attempt that leaves something to do, and a queue written by the previous version read back after an upgrade.
/// </summary>
public class RelayQueueLayoutTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string> RelaySettings(DownstreamSmtp downstream) => new()
    {
        ["Delivery:Mode"] = "Relay",
        // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
        ["Recipients:Verify"] = "None",
        ["Relay:SmartHost"] = downstream.HostPort,
        ["Relay:Tls"] = "None",
        ["Relay:MaxConnections"] = "2",
        ["Relay:RetrySchedule:0"] = "00:00:01",
    };

    [Fact]
    public async Task Messages_delivered_at_their_first_attempt_never_get_a_state_file()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(RelaySettings(downstream));
        var queue = Path.Combine(gateway.StorageRoot, "queue");
        Assert.True(Directory.Exists(queue), gateway.Output);

        // inotify sees every file created in or renamed into queue/ and queue/tmp/, however short-lived.
        var seen = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<Exception>();
        using var watcher = new FileSystemWatcher(queue)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => seen.Enqueue(e.Name ?? "");
        watcher.Renamed += (_, e) => seen.Enqueue(e.Name ?? "");
        watcher.Error += (_, e) => errors.Enqueue(e.GetException());
        watcher.EnableRaisingEvents = true;

        const int count = 10;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort,
                TestMail.Text($"first{i}@example.org", $"first attempt {i}", "delivered at once"))).Code);
        }

        Assert.True(await downstream.WaitForAsync(m => m.Count == count, Wait), gateway.Output);
        Assert.True(await QueueFolder.WaitUntilEmptyAsync(gateway, Wait), gateway.Output);
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline && seen.Count(n => n.StartsWith("tmp", StringComparison.Ordinal)) < count)
        {
            await Task.Delay(100);
        }

        Assert.Empty(errors);
        var names = seen.ToList();
        // The watcher saw each message being written in tmp/ and renamed into queue/ ...
        Assert.True(names.Count(n => n.StartsWith("tmp/", StringComparison.Ordinal) && n.EndsWith(".eml", StringComparison.Ordinal)) == count,
            string.Join('\n', names));
        Assert.True(names.Count(n => !n.Contains('/') && n.EndsWith(".eml", StringComparison.Ordinal)) == count,
            string.Join('\n', names));
        // ... and no state file anywhere.
        Assert.DoesNotContain(names, n => n.EndsWith(".json", StringComparison.Ordinal));
        Assert.DoesNotContain("Deferred", gateway.Output);
    }

    [Fact]
    public async Task An_old_layout_entry_is_delivered_byte_exact_after_the_upgrade_and_a_headless_message_is_set_aside()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        var settings = RelaySettings(downstream);
        await using var gateway = new GatewayProcess(settings);
        var queue = Path.Combine(gateway.StorageRoot, "queue");
        Directory.CreateDirectory(Path.Combine(queue, "tmp"));

        // What the previous version left: the message as relayed in <id>.eml, envelope and state in <id>.json.
        var oldId = Guid.CreateVersion7().ToString("N");
        var oldMessage = Encoding.UTF8.GetBytes(
            "X-MailGateway-SCL: 1\r\nX-Spam-Flag: NO\r\nX-MailGateway-Trace: none\r\nFrom: old@sender.test\r\n" +
            "To: upgraded@example.org\r\nSubject: queued by the previous version\r\n\r\n.a dot\r\ncaf\u00e9\r\nlast\r\n");
        await File.WriteAllBytesAsync(Path.Combine(queue, oldId + ".eml"), oldMessage);
        await File.WriteAllTextAsync(Path.Combine(queue, oldId + ".json"), $$"""
            {
              "id": "{{oldId}}",
              "from": "old@sender.test",
              "receivedAt": "{{DateTimeOffset.UtcNow.AddMinutes(-5):O}}",
              "hops": [
                {
                  "nextHop": "{{downstream.HostPort}}",
                  "recipients": [ "upgraded@example.org" ],
                  "attempts": 1,
                  "nextAttemptAt": "{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}",
                  "lastError": "451 4.3.0 try later"
                }
              ],
              "recipientCount": 1
            }
            """);
        // A message without envelope line and without state: nobody knows where it should go.
        var headlessId = Guid.CreateVersion7().ToString("N");
        var headless = Encoding.UTF8.GetBytes("To: nobody@example.org\r\nSubject: headless\r\n\r\nunknown envelope\r\n");
        await File.WriteAllBytesAsync(Path.Combine(queue, headlessId + ".eml"), headless);

        await gateway.StartAsync();

        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        Assert.True(await QueueFolder.WaitUntilEmptyAsync(gateway, Wait), gateway.Output);
        await Task.Delay(1500);
        var received = Assert.Single(downstream.Messages());
        Assert.Equal("old@sender.test", received.From);
        Assert.Equal(["upgraded@example.org"], received.To);
        Assert.Equal(oldMessage, received.Bytes);

        Assert.Contains("1 messages to resume", gateway.Output);
        Assert.Contains(headlessId, gateway.Output);
        Assert.Contains("moved aside", gateway.Output);
        Assert.Equal(headless, await File.ReadAllBytesAsync(Path.Combine(queue, headlessId + ".eml.bad")));
        Assert.Empty(downstream.MessagesFor("nobody@example.org"));
    }
}
