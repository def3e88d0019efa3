namespace MailGateway.Filters.Antivirus;

/// <summary>
/// One way of decoding quoted-printable: what an invalid escape turns into, what a hard line break becomes, and
/// whether lower-case hex digits ("=0a") count as an escape (RFC 2045 says upper case only; most clients accept both).
/// </summary>
public readonly record struct QpFlavour(QpInvalidEscape InvalidEscape, QpLineBreak LineBreak, bool UpperCaseHexOnly = false);
