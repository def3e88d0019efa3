using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery;

/// <summary>Where everything lives under <c>Storage:Root</c>; the one place that knows the folder names.</summary>
public sealed class StorageLayout(IOptions<StorageOptions> options)
{
    public string Root { get; } = options.Value.FullRoot;

    public string MailRoot => Path.Combine(Root, "mail");

    public string SpoolDirectory => Path.Combine(Root, "spool");

    public string ArchiveRoot => Path.Combine(Root, "archive");

    public string ArchiveTemp => Path.Combine(ArchiveRoot, ".tmp");

    /// <summary>
    /// The relay queue (relay mode): per message one <c>&lt;id&gt;.eml</c> starting with its envelope line, and an
    /// <c>&lt;id&gt;.json</c> only once an attempt has changed its state.
    /// </summary>
    public string QueueDirectory => Path.Combine(Root, "queue");

    public string QueueTemp => Path.Combine(QueueDirectory, "tmp");

    /// <summary>Emptied files of delivered queue entries, kept for the next messages (<c>QueueFileRecycler</c>).</summary>
    public string QueueSpare => Path.Combine(QueueDirectory, "spare");

    /// <summary>The Maildir of a recipient's folder (the folder holding tmp/, new/ and cur/).</summary>
    public string Maildir(string mailboxKey, MaildirFolder folder) => folder switch
    {
        MaildirFolder.Inbox => Path.Combine(MailRoot, mailboxKey),
        MaildirFolder.Junk => Path.Combine(MailRoot, mailboxKey, ".Junk"),
        _ => throw new ArgumentOutOfRangeException(nameof(folder)),
    };

    public string ArchiveDay(DateTimeOffset when) => Path.Combine(ArchiveRoot, when.UtcDateTime.ToString("yyyy-MM-dd"));
}
