namespace MailGateway.Filters.Dns;

/// <summary>The result of one lookup: its status and, when found, the records' values.</summary>
public sealed record DnsAnswer<T>(DnsLookupStatus Status, IReadOnlyList<T> Values, string? Error = null)
{
    public static DnsAnswer<T> NotFound { get; } = new(DnsLookupStatus.NotFound, []);

    public static DnsAnswer<T> Failed(string error) => new(DnsLookupStatus.TemporaryFailure, [], error);
}
