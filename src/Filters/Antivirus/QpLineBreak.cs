namespace MailGateway.Filters.Antivirus;

/// <summary>What a hard (unescaped) line break in quoted-printable decodes to.</summary>
public enum QpLineBreak
{
    /// <summary>CR LF, as for text.</summary>
    CrLf,

    /// <summary>A bare LF: binary encoders write a 0x0A byte as a line break.</summary>
    Lf,

    /// <summary>Nothing: every line break is treated as soft, as if the encoder had escaped all real ones.</summary>
    None,
}
