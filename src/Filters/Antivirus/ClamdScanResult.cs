namespace MailGateway.Filters.Antivirus;

/// <summary>The outcome of one INSTREAM exchange.</summary>
/// <param name="Reply">clamd's parsed reply.</param>
/// <param name="BytesSent">How many content bytes were streamed before clamd answered.</param>
public sealed record ClamdScanResult(ClamdScanReply Reply, long BytesSent);
