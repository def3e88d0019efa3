namespace MailGateway.Gateway.Tracking;

/// <summary>One page of a paginated query, and how many rows match in all.</summary>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, long Total, int Offset, int Limit);
