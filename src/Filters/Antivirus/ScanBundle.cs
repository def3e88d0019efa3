using System.Formats.Tar;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Packs decoded parts into one POSIX tar archive (the framework's <see cref="TarWriter"/>) so that clamd scans them
/// all in a single INSTREAM: clamd unpacks tar and types each member on its own (a zip member is opened as a zip),
/// and one round trip per message costs far less than one per part. A bundle above
/// <see cref="MemoryLimitBytes"/> is written to a temporary file that is deleted when the bundle is disposed, so a
/// message's tolerant pass (up to 16 MB of parts) never holds a second copy of them in memory.
/// </summary>
public static class ScanBundle
{
    /// <summary>Bundles up to this size stay in memory: most messages have a few small parts.</summary>
    public const int MemoryLimitBytes = 256 * 1024;

    /// <summary>Writes <paramref name="parts"/> as tar members named by their number and decoding method, positioned at 0.</summary>
    public static Stream Create(IReadOnlyList<TolerantPart> parts)
    {
        // Each member costs a 512-byte header and padding to the next 512 bytes; the end is two empty blocks.
        var size = parts.Sum(p => 1024L + p.Content.Length) + 1024;
        Stream bundle = size <= MemoryLimitBytes
            ? new MemoryStream((int)size)
            : new FileStream(Path.Combine(Path.GetTempPath(), "mailgw-scan-" + Guid.NewGuid().ToString("N") + ".tar"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            using (var writer = new TarWriter(bundle, TarEntryFormat.Ustar, leaveOpen: true))
            {
                for (var i = 0; i < parts.Count; i++)
                {
                    writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{i}.{parts[i].Method}")
                    {
                        DataStream = new MemoryStream(parts[i].Content, writable: false),
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                        ModificationTime = DateTimeOffset.UnixEpoch,
                    });
                }
            }

            bundle.Position = 0;
            return bundle;
        }
        catch
        {
            bundle.Dispose();
            throw;
        }
    }
}
