namespace MailGateway.Filters.Chain;

/// <summary>The <c>Filters</c> section: which filters run, in which order.</summary>
public sealed class FilterOptions
{
    public const string Section = "Filters";

    // Sender authentication first (the allow-list reads it; S/MIME is authentication too), the DNS lists' SCL points
    // (the Gateway's Dnsbl filter) once the allow-list has had its say, DMARC last (no later filter may lower the SCL it
    // raises). The attachment policy right after clamd: a virus is refused or archived as a virus, naming its
    // signature; whatever clamd passes is then held to the blocked names and types.
    public static readonly string[] DefaultOrder =
    [
        "Spf", "Dkim", "Arc", "Smime", "AllowList", "Dnsbl", "Antivirus", "Attachments", "Keywords", "Model", "ImageHeuristic",
        "Bulk", "Dmarc",
    ];

    /// <summary><c>Filters:Order:0=None</c>: no content filter at all (the SMTP core and storage alone, for benchmarks).</summary>
    public const string None = "None";

    public List<string> Order { get; set; } = new();

    /// <summary>MIME parts and nesting allowed before a message is parsed; see <see cref="MimeLimitsOptions"/>.</summary>
    public MimeLimitsOptions MimeLimits { get; set; } = new();

    /// <summary>
    /// Per filter name, what a thrown error means: <see cref="FilterErrorAction.Continue"/> (fail open) or
    /// <see cref="FilterErrorAction.TempFail"/> (fail closed, 451 4.7.1). A filter not listed fails closed when it is a
    /// security filter (antivirus) and open otherwise. Either way the error is traced, logged and counted.
    /// </summary>
    public Dictionary<string, FilterErrorAction> OnError { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What an error of <paramref name="filter"/> means, by <see cref="OnError"/> or its kind.</summary>
    public FilterErrorAction ErrorActionFor(string filter, FilterKind kind) =>
        OnError.TryGetValue(filter, out var action) ? action
        : OnError.FirstOrDefault(p => string.Equals(p.Key, filter, StringComparison.OrdinalIgnoreCase)) is { Key: not null } entry ? entry.Value
        : kind == FilterKind.Security ? FilterErrorAction.TempFail : FilterErrorAction.Continue;

    public IReadOnlyList<string> EffectiveOrder => Order.Count == 0 ? DefaultOrder
        : Order is [var only] && string.Equals(only, None, StringComparison.OrdinalIgnoreCase) ? [] : Order;
}
