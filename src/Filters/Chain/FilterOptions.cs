namespace MailGateway.Filters.Chain;

/// <summary>The <c>Filters</c> section: which filters run, in which order.</summary>
public sealed class FilterOptions
{
    public const string Section = "Filters";

    public static readonly string[] DefaultOrder = ["AllowList", "Antivirus", "Keywords", "Model", "ImageHeuristic"];

    public List<string> Order { get; set; } = new();

    public IReadOnlyList<string> EffectiveOrder => Order.Count == 0 ? DefaultOrder : Order;
}
