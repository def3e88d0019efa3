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

    /// <summary>Viruses kept under Antivirus:OnInfected=Archive, apart from the spam archive.</summary>
    public string VirusArchiveRoot => Path.Combine(ArchiveRoot, "virus");

    /// <summary>Where archive files are written before they are renamed into their day's folder.</summary>
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

    /// <summary>The day's folder under <paramref name="archiveRoot"/> (the archive or the virus archive), by UTC date.</summary>
    public static string ArchiveDay(string archiveRoot, DateTimeOffset when) =>
        Path.Combine(archiveRoot, when.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}
