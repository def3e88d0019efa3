using System.Text.Json;
using MailGateway.Gateway.Delivery;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// Writes <c>config/thresholds.json</c> for the console: the new content is checked by <see cref="ThresholdsFile"/>
/// exactly as a hand edit is when the gateways re-read it, then written to a temporary file beside it, synced and
/// renamed over it, so a reader sees the old file or the new one, never half of one. The running gateways pick it up
/// through their <see cref="SclRouter"/> like any edit; the file stays the one source of truth.
/// </summary>
public static class ThresholdsFileWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Returns the errors that refused the thresholds (nothing written), or an empty list once the file is in place.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string path, RoutingThresholds thresholds, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var content = JsonSerializer.SerializeToUtf8Bytes(new
        {
            Scl = new
            {
                thresholds.Scl.JunkThreshold,
                thresholds.Scl.ArchiveThreshold,
                thresholds.Scl.RejectThreshold,
            },
            Bulk = new { thresholds.Bulk.Threshold },
        }, Indented);
        try
        {
            ThresholdsFile.ParseOrThrow(content, full);
        }
        catch (InvalidDataException ex)
        {
            return ex.Message.Split("; ");
        }

        var directory = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                await file.WriteAsync(content, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
            DurableIo.FsyncDirectory(directory);
        }
        finally
        {
            File.Delete(temporary);
        }

        return [];
    }
}
