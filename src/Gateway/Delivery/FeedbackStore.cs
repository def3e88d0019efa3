using System.Text;
using MailGateway.Gateway.Tracking;

namespace MailGateway.Gateway.Delivery;

public enum FeedbackKind
{
    Ham,
    Spam,
}

/// <summary>
/// <c>&lt;root&gt;/feedback/{ham,spam}/</c>: messages an administrator judged, kept for `mailgw train`. The gateway's
/// own headers (everything above its Received header) are removed so the model never learns from its own verdicts.
/// Each mark is also recorded in the tracking database (a feedback row and an event on the message).
/// </summary>
public sealed class FeedbackStore(StorageLayout layout, TrackingRecorder tracking)
{
    public string Folder(FeedbackKind kind) =>
        Path.Combine(layout.Root, "feedback", kind == FeedbackKind.Ham ? "ham" : "spam");

    /// <param name="actor">who judged it, for the record: <c>token</c>, <c>loopback</c>, <c>cli:root</c>, <c>release</c>.</param>
    public async Task<string> KeepAsync(string messagePath, FeedbackKind kind, CancellationToken cancellationToken,
        string actor = "admin")
    {
        var folder = Folder(kind);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(messagePath)}.eml");
        await using var source = File.OpenRead(messagePath);
        var skip = await OwnHeaderLengthAsync(messagePath, cancellationToken);
        source.Position = skip;
        await using var destination = new FileStream(target, FileMode.Create, FileAccess.Write);
        await source.CopyToAsync(destination, cancellationToken);
        var id = Path.GetFileNameWithoutExtension(messagePath);
        var now = DateTimeOffset.UtcNow;
        await tracking.RecordNowAsync(
        [
            new FeedbackRecorded(new FeedbackMark(id, kind, now, actor, target, tracking.Node)),
            new EventAppended(new TrackingEvent(id, now,
                kind == FeedbackKind.Spam ? TrackingEventKinds.MarkedSpam : TrackingEventKinds.MarkedHam, $"by {actor}: {target}",
                tracking.Node)),
        ], cancellationToken);
        return target;
    }

    /// <summary>
    /// Bytes of the header lines the gateway put on top (verdict, SCL, trace, envelope, filter headers): everything
    /// before its own Received header, which begins every message it stores. 0 when the header has none.
    /// </summary>
    public static async Task<long> OwnHeaderLengthAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.Latin1);
        long offset = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            if (line.StartsWith("Received:", StringComparison.OrdinalIgnoreCase))
            {
                return offset;
            }

            offset += Encoding.Latin1.GetByteCount(line) + 2;
        }

        return 0;
    }
}
