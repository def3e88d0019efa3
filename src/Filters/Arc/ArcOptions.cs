namespace MailGateway.Filters.Arc;

/// <summary>The <c>Arc</c> section: ARC chains (RFC 8617) are verified and recorded; DMARC may honour them (Dmarc:HonourArc).</summary>
public sealed class ArcOptions
{
    public const string Section = "Arc";

    public bool Enabled { get; set; } = true;

    /// <summary>Time for the whole chain; past it the result is recorded as temperror and no override applies.</summary>
    public int TimeoutSeconds { get; set; } = 20;
}
