namespace MailGateway.Gateway.Tracking;

/// <summary>
/// An archive listing: every criterion given must match (null means any). <see cref="Text"/> is a case-insensitive
/// substring of the subject, sender, recipients or id; <see cref="Sender"/> matches the envelope sender exactly.
/// </summary>
public sealed record ArchiveQuery
{
    public string? Text { get; init; }

    public string? Sender { get; init; }

    public int? MinScl { get; init; }

    public int? MaxScl { get; init; }

    /// <summary>Received at or after.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Received before.</summary>
    public DateTimeOffset? Until { get; init; }

    public ArchiveStateFilter State { get; init; } = ArchiveStateFilter.All;

    public ArchiveSort Sort { get; init; } = ArchiveSort.Newest;

    public int Offset { get; init; }

    public int Limit { get; init; } = 50;
}
