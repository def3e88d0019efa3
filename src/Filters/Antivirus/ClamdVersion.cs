namespace MailGateway.Filters.Antivirus;

/// <summary>
/// clamd's answer to <c>zVERSION</c>: <c>ClamAV 1.4.6/27500/Tue Jan 14 09:38:45 2025</c> with official databases, or just
/// <c>ClamAV 1.4.6</c> when only unversioned (e.g. the project's test) databases are loaded.
/// </summary>
/// <param name="Engine">The engine version, e.g. <c>1.4.6</c>.</param>
/// <param name="Database">The signature database version, e.g. <c>27500</c>, or null when clamd gives none.</param>
/// <param name="Raw">The reply as clamd sent it.</param>
public sealed record ClamdVersion(string Engine, string? Database, string Raw)
{
    private const string Product = "ClamAV ";

    /// <summary>Used when clamd's version could not be asked; a clean scan is still a clean scan.</summary>
    public static ClamdVersion Unknown { get; } = new("unknown", null, string.Empty);

    /// <summary>Parses a VERSION reply; anything unexpected is kept whole as the engine text.</summary>
    public static ClamdVersion Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var raw = ClamdReplyParser.TrimTerminators(reply);
        var text = raw.StartsWith(Product, StringComparison.Ordinal) ? raw[Product.Length..] : raw;
        var parts = text.Split('/', 3, StringSplitOptions.TrimEntries);
        var database = parts.Length > 1 && parts[1].Length > 0 && parts[1] != "0" ? parts[1] : null;
        return new ClamdVersion(parts[0], database, raw);
    }

    /// <summary><c>ClamAV 1.4.6/27500</c>: the engine and database version, the form used in <c>X-Virus-Scanned</c>.</summary>
    public override string ToString() => Database is null ? Product + Engine : $"{Product}{Engine}/{Database}";
}
