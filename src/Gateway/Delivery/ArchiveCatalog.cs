using System.Globalization;
using MimeKit;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Reads the archive folder: lists entries (headers only, never whole bodies), finds one by id, marks releases.
/// A released message keeps its .eml; a <c>&lt;id&gt;.released</c> file beside it records when.
/// </summary>
public sealed class ArchiveCatalog(StorageLayout layout)
{
    public IEnumerable<ArchiveEntry> List()
    {
        if (!Directory.Exists(layout.ArchiveRoot))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(layout.ArchiveRoot, "*.eml", SearchOption.AllDirectories))
        {
            if (path.Contains($"{System.IO.Path.DirectorySeparatorChar}.tmp{System.IO.Path.DirectorySeparatorChar}"))
            {
                continue;
            }

            if (TryRead(path) is { } entry)
            {
                yield return entry;
            }
        }
    }

    public ArchiveEntry? Find(string id)
    {
        if (id.Length == 0 || id.IndexOfAny(['/', '\\', '.']) >= 0 || !Directory.Exists(layout.ArchiveRoot))
        {
            return null;
        }

        var path = Directory.EnumerateFiles(layout.ArchiveRoot, id + ".eml", SearchOption.AllDirectories).FirstOrDefault();
        return path is null ? null : TryRead(path);
    }

    public void MarkReleased(ArchiveEntry entry) =>
        File.WriteAllText(MarkerPath(entry.Path), DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));

    private static string MarkerPath(string emlPath) => System.IO.Path.ChangeExtension(emlPath, ".released");

    private ArchiveEntry? TryRead(string path)
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
        var date = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        var to = (headers[GatewayHeaders.EnvelopeTo] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => a.Trim('<', '>')).Where(a => a.Length > 0).ToList();
        var relative = System.IO.Path.GetRelativePath(layout.ArchiveRoot, path);
        return new ArchiveEntry(
            id,
            path,
            date,
            (headers[GatewayHeaders.EnvelopeFrom] ?? "").Trim('<', '>', ' '),
            to,
            headers[HeaderId.Subject] ?? "",
            int.TryParse(headers[GatewayHeaders.Scl], out var scl) ? scl : null,
            headers[GatewayHeaders.Trace] ?? "",
            relative.StartsWith("virus" + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal),
            File.Exists(MarkerPath(path)));
    }
}
