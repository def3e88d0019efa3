namespace MailGateway.Filters.Antivirus;

/// <summary>clamd's answer to one INSTREAM scan, parsed.</summary>
/// <param name="Status">What clamd decided.</param>
/// <param name="Signature">The signature name when <paramref name="Status"/> is Infected, otherwise null.</param>
/// <param name="Text">The reply line as clamd sent it (without its terminator), for logs.</param>
public sealed record ClamdScanReply(ClamdReplyStatus Status, string? Signature, string Text);
