namespace MailGateway.Gateway.Delivery;

/// <summary>One archived message as the archive manager lists it.</summary>
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
    bool Released);
