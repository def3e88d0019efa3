namespace MailGateway.Filters.Chain;

/// <summary>The <c>Filters</c> section: which filters run, in which order.</summary>
public sealed class FilterOptions
{
    public const string Section = "Filters";

    // Sender authentication first (the allow-list reads it), DMARC last (no later filter may lower the SCL it raises).
    public static readonly string[] DefaultOrder =
        ["Spf", "Dkim", "Arc", "AllowList", "Antivirus", "Keywords", "Model", "ImageHeuristic", "Dmarc"];

    /// <summary><c>Filters:Order:0=None</c>: no content filter at all (the SMTP core and storage alone, for benchmarks).</summary>
    public const string None = "None";

    public List<string> Order { get; set; } = new();

    public IReadOnlyList<string> EffectiveOrder => Order.Count == 0 ? DefaultOrder
        : Order is [var only] && string.Equals(only, None, StringComparison.OrdinalIgnoreCase) ? [] : Order;
}
