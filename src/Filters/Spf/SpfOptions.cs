namespace MailGateway.Filters.Spf;

/// <summary>The <c>Spf</c> section. SPF is recorded (Authentication-Results, trace) and read by DMARC; it refuses nothing itself.</summary>
public sealed class SpfOptions
{
    public const string Section = "Spf";

    public bool Enabled { get; set; } = true;

    /// <summary>Time for a whole evaluation (RFC 7208 4.6.4 suggests at least 20 s); past it the result is temperror.</summary>
    public int TimeoutSeconds { get; set; } = 20;
}
