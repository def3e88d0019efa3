namespace MailGateway.Filters.Attachments;

/// <summary>
/// A seekable copy of a decoded archive attachment for SharpCompress (zip keeps its directory at the end): in memory up
/// to <see cref="InMemoryBytes"/>, beyond that in a temporary file that is deleted when the copy is disposed.
/// </summary>
public static class ArchiveCopy
{
    public const int InMemoryBytes = 1024 * 1024;

    /// <summary>
    /// <paramref name="head"/> (already read) followed by the rest of <paramref name="rest"/>, positioned at 0; null when
    /// the whole is longer than <paramref name="maxBytes"/> (what was copied is discarded).
    /// </summary>
    public static async Task<Stream?> CreateAsync(ReadOnlyMemory<byte> head, Stream rest, long maxBytes,
        CancellationToken cancellationToken)
    {
        if (head.Length > maxBytes)
        {
            return null;
        }

        Stream copy = new MemoryStream();
        try
        {
            await copy.WriteAsync(head, cancellationToken);
            var buffer = new byte[81920];
            int read;
            while ((read = await rest.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (copy.Length + read > maxBytes)
                {
                    await copy.DisposeAsync();
                    return null;
                }

                if (copy is MemoryStream memory && memory.Length + read > InMemoryBytes)
                {
                    copy = await SpillAsync(memory, cancellationToken);
                }

                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            copy.Position = 0;
            return copy;
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    private static async Task<Stream> SpillAsync(MemoryStream memory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mailgw-archive-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        memory.Position = 0;
        await memory.CopyToAsync(file, cancellationToken);
        await memory.DisposeAsync();
        return file;
    }
}
