namespace MailGateway.Filters.Dkim;

/// <summary>The <c>Dkim</c> section. DKIM is recorded (Authentication-Results, trace) and read by DMARC; it refuses nothing itself.</summary>
public sealed class DkimOptions
{
    public const string Section = "Dkim";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Signatures verified per message, in header order (RFC 6376 6.1 lets a verifier limit them); the others are
    /// counted in the trace, not checked, so 30 signatures cost no more than this many.
    /// </summary>
    public int MaxSignatures { get; set; } = 5;

    /// <summary>Time for all the signatures of one message; the ones not done by then are temperror.</summary>
    public int TimeoutSeconds { get; set; } = 20;
}
