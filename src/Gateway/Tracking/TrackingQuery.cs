namespace MailGateway.Gateway.Tracking;

/// <summary>
/// A tracking search: every criterion given must match (null means any). Sender, recipient and client address match
/// exactly (case-insensitive for addresses); <see cref="MessageId"/> matches the gateway id or the Message-ID header
/// (with or without angle brackets). Results are newest first, <see cref="Limit"/> per page.
/// </summary>
public sealed record TrackingQuery
{
    public string? Sender { get; init; }

    public string? Recipient { get; init; }

    public string? MessageId { get; init; }

    public string? ClientAddress { get; init; }

    /// <summary>The route (inbox, junk, archive, virus-archive, rejected).</summary>
    public string? Disposition { get; init; }

    public int? MinScl { get; init; }

    public int? MaxScl { get; init; }

    /// <summary>Received at or after.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Received before.</summary>
    public DateTimeOffset? Until { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 50;
}
