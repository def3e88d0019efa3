namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Bounds on <see cref="TolerantPartExtractor"/>'s work per message: how many decoded parts and how many decoded
/// bytes in all. A message crafted to produce thousands of candidates gets the first ones scanned, not a stalled
/// session.
/// </summary>
public sealed record TolerantExtractionLimits(int MaxParts, long MaxDecodedBytes);
