namespace MailGateway.Gateway.Tracking;

/// <summary>
/// The <c>Tracking</c> section: message tracking, the archive index and feedback marks, in one database. Empty
/// <see cref="ConnectionString"/>: SQLite at <c>&lt;Storage:Root&gt;/tracking.db</c>. <c>Data Source=…</c>: SQLite there.
/// Anything else (<c>Host=db;Username=…;Password=…;Database=mailgw</c>): PostgreSQL, which several gateways share.
/// </summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    public bool Enabled { get; set; } = true;

    public string ConnectionString { get; set; } = "";

    /// <summary>Tracking records and events older than this are deleted (the archive index follows the files).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Writes waiting for the database; beyond this they are dropped and counted, never waited for.</summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Writes per transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>This gateway's name in records and archive rows; empty: <c>Smtp:HostName</c>.</summary>
    public string NodeName { get; set; } = "";

    /// <summary>True when <see cref="ConnectionString"/> names a PostgreSQL server.</summary>
    public bool IsPostgres => !string.IsNullOrWhiteSpace(ConnectionString) && !IsSqliteConnectionString(ConnectionString);

    private static bool IsSqliteConnectionString(string s)
    {
        var t = s.TrimStart();
        return t.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
               || t.StartsWith("DataSource=", StringComparison.OrdinalIgnoreCase)
               || t.StartsWith("Filename=", StringComparison.OrdinalIgnoreCase);
    }
}
