namespace MailGateway.Filters.Chain;

/// <summary>The <c>Filters</c> section: which filters run, in which order.</summary>
public sealed class FilterOptions
{
    public const string Section = "Filters";

    public static readonly string[] DefaultOrder = ["AllowList", "Antivirus", "Keywords", "Model", "ImageHeuristic", "Bulk"];

    /// <summary><c>Filters:Order:0=None</c>: no content filter at all (the SMTP core and storage alone, for benchmarks).</summary>
    public const string None = "None";

    public List<string> Order { get; set; } = new();

    public IReadOnlyList<string> EffectiveOrder => Order.Count == 0 ? DefaultOrder
        : Order is [var only] && string.Equals(only, None, StringComparison.OrdinalIgnoreCase) ? [] : Order;
}
