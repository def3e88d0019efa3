using System.Data.Common;
using Npgsql;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// A PostgreSQL server (<c>Tracking:ConnectionString</c>): several gateways behind a load balancer share one view of
/// tracking, the archive index and feedback. Connections are pooled by Npgsql's data source.
/// </summary>
public sealed class PostgresDialect : TrackingDialect, IAsyncDisposable
{
    // Any fixed number: the key of the advisory lock that serialises migrations across gateways.
    private const long MigrationLockKey = 0x6d61696c677721;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // A server that is gone should fail a batch in seconds, not hold the writer for the default 15 s + 30 s.
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 5;
            builder.CommandTimeout = 30;
        }

        Location = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string Name => "PostgreSQL";

    public override int RowsPerInsert => 100;

    public override string Location { get; }

    public override string MigrationLock => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override bool IsCorruption(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted };

    public override string? SetAsideCorrupt() => null;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
