using System.Text;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Spool;
using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Tests.Delivery;

/// <summary>Maildir delivery on a real directory with each <c>Storage:Sync</c> mode.</summary>
public sealed class MaildirStoreTests : IDisposable
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Subject: hello\r\n\r\nline one\r\n.dot\r\n");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "mailgw-maildir-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private MaildirStore Store(StorageSyncMode mode)
    {
        var options = Options.Create(new StorageOptions { Root = _root, Sync = mode });
        return new MaildirStore(new StorageLayout(options),
            new DurableStorage(options, new DirectorySync(), new FileSystemSync()), new ListLogger<MaildirStore>());
    }

    private static MessageContent Content(string id)
    {
        var spool = new SpoolBuffer(1024 * 1024, Path.GetTempPath());
        spool.Write(Body);
        return new MessageContent(id, ["X-MailGateway-SCL: 1"], spool);
    }

    private static MailPath Recipient(string address) =>
        MailPath.TryParse(address, "example.org", allowBarePostmaster: false, out _)
        ?? throw new InvalidOperationException(address);

    [Theory]
    [InlineData(StorageSyncMode.FileSystem)]
    [InlineData(StorageSyncMode.PerFile)]
    public async Task Each_distinct_recipient_gets_one_complete_copy_in_new_and_tmp_is_left_empty(StorageSyncMode mode)
    {
        var id = MessageIds.New();
        var content = Content(id);
        using var body = content.Body;
        var recipients = new[] { Recipient("Ann@example.org"), Recipient("bob@example.org"), Recipient("ann@example.org") };

        var name = await Store(mode).DeliverAsync(content, recipients, MaildirFolder.Inbox,
            CancellationToken.None);

        var expected = Encoding.UTF8.GetBytes("X-MailGateway-SCL: 1\r\n").Concat(Body).ToArray();
        foreach (var mailbox in new[] { "ann@example.org", "bob@example.org" })
        {
            var maildir = Path.Combine(_root, "mail", mailbox);
            Assert.Equal([name], Directory.GetFiles(Path.Combine(maildir, "new")).Select(Path.GetFileName));
            Assert.Equal(expected, File.ReadAllBytes(Path.Combine(maildir, "new", name)));
            Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "tmp")));
        }

        Assert.Contains($".{id}.", name);
        Assert.EndsWith($",S={expected.Length}", name);
    }

    [Fact]
    public async Task A_cancelled_delivery_leaves_nothing_in_new_or_tmp()
    {
        var id = MessageIds.New();
        var content = Content(id);
        using var body = content.Body;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store(StorageSyncMode.FileSystem).DeliverAsync(
            content, [Recipient("ann@example.org")], MaildirFolder.Junk, cancelled.Token));

        var maildir = Path.Combine(_root, "mail", "ann@example.org", ".Junk");
        Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "tmp")));
    }
}
