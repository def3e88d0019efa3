using System.Globalization;
using System.Text;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Reads the archive folder, the source of truth behind the archive index (<c>IArchiveIndex</c>): enumerates the
/// files, reads one's entry (headers only, never the whole body), finds one by id, marks releases. A released
/// message keeps its .eml; a <c>&lt;id&gt;.released</c> file beside it records when.
/// </summary>
public sealed class ArchiveCatalog(StorageLayout layout, DurableStorage durable, IOptions<TrackingOptions> tracking)
{
    private readonly string _node = tracking.Value.NodeName;

    /// <summary>
    /// True for an archive id as <see cref="MessageIds.New"/> makes them: 32 lower-case hex digits. Anything else
    /// (a '*', a '?', a path) is refused before it can reach a file-system search.
    /// </summary>
    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>Every archived file (spam and virus archive), without opening any.</summary>
    public IEnumerable<string> Files() =>
        Days().SelectMany(day => Directory.EnumerateFiles(day, "*.eml")).Where(p => IsId(System.IO.Path.GetFileNameWithoutExtension(p)));

    public ArchiveEntry? Find(string id)
    {
        if (!IsId(id))
        {
            return null;
        }

        foreach (var day in Days())
        {
            var path = System.IO.Path.Combine(day, id + ".eml");
            if (File.Exists(path))
            {
                return Read(path);
            }
        }

        return null;
    }

    /// <summary>
    /// Claims the release of <paramref name="entry"/> for this caller: creates <c>&lt;id&gt;.releasing</c> beside it,
    /// which fails when another release (this process, another process, or one cut off by a crash) holds it.
    /// </summary>
    public bool TryClaimRelease(ArchiveEntry entry)
    {
        try
        {
            using var claim = new FileStream(ClaimPath(entry.Path), FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException) when (File.Exists(ClaimPath(entry.Path)))
        {
            return false;
        }
    }

    public void DropClaim(ArchiveEntry entry) => File.Delete(ClaimPath(entry.Path));

    /// <summary>Makes the release marker durable, then drops the claim: a crash in between leaves both, never neither.</summary>
    public async Task MarkReleasedAsync(ArchiveEntry entry, DateTimeOffset when, CancellationToken cancellationToken)
    {
        var marker = MarkerPath(entry.Path);
        await using (var file = new FileStream(marker, FileMode.Create, FileAccess.Write))
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes(when.ToString("O", CultureInfo.InvariantCulture)), cancellationToken);
            await file.FlushAsync(cancellationToken);
            await durable.ContentWrittenAsync(file, cancellationToken);
        }

        await durable.NamesChangedAsync([System.IO.Path.GetDirectoryName(marker)!]);
        DropClaim(entry);
    }

    /// <summary>The path of the claim a release that never finished left behind.</summary>
    public static string ClaimPath(string emlPath) => System.IO.Path.ChangeExtension(emlPath, ".releasing");

    private static string MarkerPath(string emlPath) => System.IO.Path.ChangeExtension(emlPath, ".released");

    // archive/<yyyy-MM-dd>/ and archive/virus/<yyyy-MM-dd>/; never archive/.tmp/, where files are still being written.
    private IEnumerable<string> Days()
    {
        foreach (var root in new[] { layout.ArchiveRoot, layout.VirusArchiveRoot })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var day in Directory.EnumerateDirectories(root))
            {
                if (DateOnly.TryParseExact(System.IO.Path.GetFileName(day), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                        DateTimeStyles.None, out _))
                {
                    yield return day;
                }
            }
        }
    }

    /// <summary>The entry for one archived file, from its headers; null when it cannot be read.</summary>
    public ArchiveEntry? Read(string path)
    {
        HeaderList headers;
        try
        {
            using var stream = File.OpenRead(path);
            headers = HeaderList.Load(stream);
        }
        catch (Exception ex) when (ex is IOException or FormatException or ParseException)
        {
            return null;
        }

        var id = System.IO.Path.GetFileNameWithoutExtension(path);
        // The arrival time, not the Date header a sender can set to anything.
        var info = new FileInfo(path);
        var date = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        var marker = new FileInfo(MarkerPath(path));
        var ours = headers.TakeWhile(h => h.Id != HeaderId.Received).ToList();
        var to = ours.FirstOrDefault(h => h.Field.Equals(GatewayHeaders.EnvelopeTo, StringComparison.OrdinalIgnoreCase)) is { } header
            ? Paths(header.RawValue).Where(p => p.Length > 0).ToList()
            : [];
        var from = ours.FirstOrDefault(h => h.Field.Equals(GatewayHeaders.EnvelopeFrom, StringComparison.OrdinalIgnoreCase)) is { } f
            ? Paths(f.RawValue).FirstOrDefault() ?? ""
            : "";
        return new ArchiveEntry(
            id,
            path,
            date,
            from,
            to,
            headers[HeaderId.Subject] ?? "",
            int.TryParse(headers[GatewayHeaders.Scl], out var scl) ? scl : null,
            headers[GatewayHeaders.Trace] ?? "",
            path.StartsWith(layout.VirusArchiveRoot + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal),
            marker.Exists)
        {
            Size = info.Length,
            Node = _node,
            ReleasedAt = marker.Exists ? new DateTimeOffset(marker.LastWriteTimeUtc, TimeSpan.Zero) : null,
        };
    }

    /// <summary>
    /// The paths the gateway wrote as <c>&lt;a&gt;, &lt;b&gt;</c>, read from the raw header bytes: no encoded-word
    /// decoding (a quoted local part may spell <c>=?us-ascii?q?=2C_ceo=40example=2Eorg?=</c>), and a comma or '&gt;'
    /// inside quotes stays part of its address. Each path is checked as RCPT TO checks it; what fails is dropped.
    /// </summary>
    private static List<string> Paths(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var paths = new List<string>();
        var i = 0;
        while ((i = text.IndexOf('<', i)) >= 0)
        {
            var start = ++i;
            var quoted = false;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted && c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == '>')
                {
                    break;
                }
            }

            if (i >= text.Length)
            {
                break;
            }

            var path = text[start..i];
            if (path.Length == 0 || MailPath.TryParse(path, "", false, out _) is not null)
            {
                paths.Add(path);
            }
        }

        return paths;
    }
}
