namespace MailGateway.Gateway.Delivery;

/// <summary>One archived message as the archive manager lists it (from the archive index, or read from its file).</summary>
/// <param name="Path">the file, on <paramref name="Node"/> (the gateway that archived it).</param>
/// <param name="Date">when it arrived (not the Date header a sender can set to anything).</param>
public sealed record ArchiveEntry(
    string Id,
    string Path,
    DateTimeOffset Date,
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    string Subject,
    int? Scl,
    string Trace,
    bool IsVirus,
    bool Released)
{
    public int? Bcl { get; init; }

    public long Size { get; init; }

    /// <summary>The gateway that holds the file (<c>Tracking:NodeName</c>).</summary>
    public string Node { get; init; } = "";

    public DateTimeOffset? ReleasedAt { get; init; }
}
