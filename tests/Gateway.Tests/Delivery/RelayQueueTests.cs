using System.Text;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Delivery.Relay;
using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Tests.Delivery;

/// <summary>The relay queue's files on a real directory: one file per message, the .json override, recovery.</summary>
public sealed class RelayQueueTests : IDisposable
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes(
        "X-MailGateway-SCL: 0\r\nSubject: caf\u00e9\r\n\r\n.dot\r\nlast line\r\n");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "mailgw-queue-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ListLogger<RelayQueue> _log = new();
    private readonly RelayQueue _queue;

    public RelayQueueTests()
    {
        var options = Options.Create(new StorageOptions { Root = _root });
        _queue = new RelayQueue(new StorageLayout(options),
            new DurableStorage(options, new DirectorySync(), new FileSystemSync()), _log);
    }

    private string QueueDir => Path.Combine(_root, "queue");

    private static QueueEntry Entry(string id) => new()
    {
        Id = id,
        From = "a@sender.test",
        ReceivedAt = DateTimeOffset.UtcNow,
        Hops = [new QueueHop { NextHop = "127.0.0.1:25", Recipients = ["b@example.org", "c@example.org"], NextAttemptAt = DateTimeOffset.UtcNow }],
    };

    private static Task WriteMessage(Stream stream, CancellationToken cancellationToken) =>
        stream.WriteAsync(Message, cancellationToken).AsTask();

    private byte[] ReadMessage(string id)
    {
        using var stream = _queue.OpenMessage(id);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private string[] FilesIn(string dir) =>
        Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Enqueue_writes_one_file_that_starts_with_the_envelope_and_relays_the_message_byte_exact()
    {
        var id = MailGateway.Gateway.Messages.MessageIds.New();
        await _queue.EnqueueAsync(Entry(id), WriteMessage, CancellationToken.None);

        Assert.Equal([id + ".eml"], FilesIn(QueueDir));
        Assert.Empty(FilesIn(Path.Combine(QueueDir, "tmp")));
        Assert.StartsWith("X-MailGateway-Queue: {", File.ReadAllText(_queue.MessagePath(id)));
        Assert.Equal(Message, ReadMessage(id));
        var read = _queue.Read(id)!;
        Assert.Equal(["b@example.org", "c@example.org"], read.Hops[0].Recipients);
        Assert.Equal(id, Assert.Single(_queue.List()).Id);
    }

    [Fact]
    public async Task The_state_file_written_after_an_attempt_overrides_the_envelope_and_removal_deletes_both()
    {
        var id = MailGateway.Gateway.Messages.MessageIds.New();
        var entry = Entry(id);
        await _queue.EnqueueAsync(entry, WriteMessage, CancellationToken.None);
        entry.Hops[0].Recipients = ["c@example.org"];
        entry.Hops[0].Attempts = 1;
        entry.Hops[0].LastError = "451 4.3.0 later";
        Assert.True(await _queue.SaveAsync(entry, CancellationToken.None));

        Assert.Equal([id + ".eml", id + ".json"], FilesIn(QueueDir));
        var read = _queue.Read(id)!;
        Assert.Equal(["c@example.org"], read.Hops[0].Recipients);
        Assert.Equal(1, read.Hops[0].Attempts);
        var recovered = Assert.Single(_queue.Recover());
        Assert.Equal("451 4.3.0 later", recovered.Hops[0].LastError);
        Assert.Equal(Message, ReadMessage(id));

        await _queue.RemoveAsync(id);
        Assert.Empty(FilesIn(QueueDir));
        Assert.Null(_queue.Read(id));
        Assert.False(await _queue.SaveAsync(entry, CancellationToken.None));
        Assert.Empty(FilesIn(QueueDir));
    }

    [Fact]
    public void Recovery_resumes_an_entry_of_the_previous_layout_with_its_message_from_byte_0()
    {
        var id = MailGateway.Gateway.Messages.MessageIds.New();
        Directory.CreateDirectory(QueueDir);
        File.WriteAllBytes(Path.Combine(QueueDir, id + ".eml"), Message);
        File.WriteAllText(Path.Combine(QueueDir, id + ".json"), $$"""
            {
              "id": "{{id}}",
              "from": "old@sender.test",
              "receivedAt": "2026-11-24T10:00:00+00:00",
              "hops": [
                {
                  "nextHop": "127.0.0.1:25",
                  "recipients": [ "b@example.org" ],
                  "attempts": 2,
                  "nextAttemptAt": "2026-11-24T11:00:00+00:00",
                  "lastError": "451 4.3.0 later"
                }
              ],
              "recipientCount": 1
            }
            """);

        var entry = Assert.Single(_queue.Recover());

        Assert.Equal("old@sender.test", entry.From);
        Assert.Equal(2, entry.Hops[0].Attempts);
        Assert.Equal(Message, ReadMessage(id));
        Assert.Equal([id + ".eml", id + ".json"], FilesIn(QueueDir));
        Assert.Contains("1 messages to resume", _log.Entries.Select(e => e.Message).Last());
    }

    [Fact]
    public void Recovery_sets_a_message_without_envelope_or_state_aside_as_bad_and_logs_an_error()
    {
        var headless = MailGateway.Gateway.Messages.MessageIds.New();
        var damaged = MailGateway.Gateway.Messages.MessageIds.New();
        Directory.CreateDirectory(QueueDir);
        File.WriteAllBytes(Path.Combine(QueueDir, headless + ".eml"), Message);
        File.WriteAllBytes(Path.Combine(QueueDir, damaged + ".eml"),
            [.. "X-MailGateway-Queue: {\"id\":\"cut"u8, .. Message]);

        Assert.Empty(_queue.Recover());

        Assert.Equal(new[] { damaged + ".eml.bad", headless + ".eml.bad" }.Order(StringComparer.Ordinal), FilesIn(QueueDir));
        Assert.Equal(Message, File.ReadAllBytes(Path.Combine(QueueDir, headless + ".eml.bad")));
        var errors = _log.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains(headless, StringComparison.Ordinal) && e.Contains(".eml.bad", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(damaged, StringComparison.Ordinal));
        Assert.Empty(_queue.List());
    }

    [Fact]
    public void Recovery_removes_temporary_files_and_a_state_file_whose_message_is_gone()
    {
        var id = MailGateway.Gateway.Messages.MessageIds.New();
        Directory.CreateDirectory(Path.Combine(QueueDir, "tmp"));
        File.WriteAllText(Path.Combine(QueueDir, id + ".json"), "{}");
        File.WriteAllBytes(Path.Combine(QueueDir, "tmp", id + ".eml"), Message);

        Assert.Empty(_queue.Recover());

        Assert.Equal(["spare", "tmp"], Directory.GetFileSystemEntries(QueueDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(FilesIn(Path.Combine(QueueDir, "tmp")));
        Assert.Contains("2 stale files removed", _log.Entries.Select(e => e.Message).Last());
    }

    [Fact]
    public async Task A_delivered_entry_leaves_the_queue_and_its_emptied_file_carries_the_next_message_with_nothing_of_the_old()
    {
        _queue.Recover();
        var first = MailGateway.Gateway.Messages.MessageIds.New();
        var longMessage = Encoding.UTF8.GetBytes("Subject: long\r\n\r\n" + new string('x', 20000) + "\r\n");
        await _queue.EnqueueAsync(Entry(first), (s, ct) => s.WriteAsync(longMessage, ct).AsTask(), CancellationToken.None);

        _queue.RemoveDelivered(first);

        Assert.Empty(FilesIn(QueueDir));
        Assert.Null(_queue.Read(first));
        var spare = Assert.Single(Directory.GetFiles(Path.Combine(QueueDir, "spare")));
        Assert.Equal(0, new FileInfo(spare).Length);

        var second = MailGateway.Gateway.Messages.MessageIds.New();
        await _queue.EnqueueAsync(Entry(second), WriteMessage, CancellationToken.None);

        Assert.Empty(Directory.GetFiles(Path.Combine(QueueDir, "spare")));
        Assert.Equal([second + ".eml"], FilesIn(QueueDir));
        Assert.Equal(Message, ReadMessage(second));
        Assert.DoesNotContain("xxxx", File.ReadAllText(_queue.MessagePath(second)), StringComparison.Ordinal);
        Assert.Equal(second, Assert.Single(_queue.List()).Id);
    }

    [Fact]
    public async Task Recovery_deletes_spare_files_a_stop_left_behind()
    {
        _queue.Recover();
        var id = MailGateway.Gateway.Messages.MessageIds.New();
        await _queue.EnqueueAsync(Entry(id), WriteMessage, CancellationToken.None);
        _queue.RemoveDelivered(id);
        // As if the gateway stopped between moving a delivered file out of the queue and emptying it.
        File.WriteAllBytes(Path.Combine(QueueDir, "spare", "99"), Message);

        Assert.Empty(_queue.Recover());

        Assert.Empty(Directory.GetFiles(Path.Combine(QueueDir, "spare")));
        Assert.Contains("2 stale files removed", _log.Entries.Select(e => e.Message).Last());
    }

    [Fact]
    public void The_recycler_keeps_no_more_spares_than_its_capacity_and_hands_each_out_once()
    {
        var spares = Path.Combine(_root, "spares");
        var recycler = new QueueFileRecycler(spares, capacity: 1, _log);
        recycler.Reset();
        var a = Path.Combine(_root, "a");
        var b = Path.Combine(_root, "b");
        File.WriteAllBytes(a, Message);
        File.WriteAllBytes(b, Message);

        Assert.True(recycler.TryRetire(a));
        Assert.False(recycler.TryRetire(b));
        Assert.False(File.Exists(a));
        Assert.True(File.Exists(b));
        Assert.Equal(1, recycler.Count);

        var target = Path.Combine(_root, "target");
        Assert.True(recycler.TryTakeInto(target));
        Assert.Equal(0, new FileInfo(target).Length);
        Assert.False(recycler.TryTakeInto(Path.Combine(_root, "other")));
        Assert.Equal(0, recycler.Count);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
