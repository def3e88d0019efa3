namespace MailGateway.Gateway.Routing;

/// <summary>
/// The <c>Bulk</c> section of config/thresholds.json: mail whose Bulk Complaint Level is at or above
/// <see cref="Threshold"/> goes to the junk folder (Exchange Online's bulk action), whatever its SCL says below
/// junk. Bulk evidence never sends a message further than junk: newsletters are mail someone may have subscribed to.
/// 10 switches it off (the BCL is still measured and written in <c>X-MailGateway-BCL</c>).
/// </summary>
public sealed class BulkOptions
{
    public const string Section = "Bulk";

    /// <summary>BCL at or above which a message is bulk: 0..10, 10 off. 7 is Exchange Online's default.</summary>
    public int Threshold { get; set; } = 7;

    public override string ToString() => $"bulk>={Threshold}";
}
