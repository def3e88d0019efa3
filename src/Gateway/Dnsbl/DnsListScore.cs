namespace MailGateway.Gateway.Dnsbl;

/// <summary>
/// A client address's standing on the configured lists: the summed weight, the block lists that list it (heaviest
/// first) and the lists that could not be asked.
/// </summary>
public sealed record DnsListScore(double Weight, IReadOnlyList<string> ListedBy, IReadOnlyList<string> Unanswered);
