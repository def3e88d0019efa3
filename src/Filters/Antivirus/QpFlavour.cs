namespace MailGateway.Filters.Antivirus;

/// <summary>One way of decoding quoted-printable.</summary>
public readonly record struct QpFlavour(QpInvalidEscape InvalidEscape, bool LfOnly);
