using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// The embedded database (the default): one file, in WAL mode so the admin pages and `mailgw track` read while the
/// gateway writes. synchronous=NORMAL: a power cut may lose the last batches, never corrupt the file; tracking is a
/// record of what happened to mail, the mail itself is already durable elsewhere.
/// </summary>
public sealed class SqliteDialect : TrackingDialect
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private volatile bool _walSet;

    public SqliteDialect(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            Mode = SqliteOpenMode.ReadWriteCreate,
        };
        if (builder.DefaultTimeout == 30)
        {
            builder.DefaultTimeout = 10;
        }

        Path = System.IO.Path.GetFullPath(builder.DataSource);
        builder.DataSource = Path;
        _connectionString = builder.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public override string Name => "SQLite";

    public override int RowsPerInsert => 1;

    public override string Location => Path;

    public override string MigrationLock => "";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            // journal_mode is kept in the file (set once, at the first open of this process); synchronous is per connection.
            pragma.CommandText = _walSet ? "PRAGMA synchronous=NORMAL;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            _walSet = true;
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override bool IsCorruption(Exception ex) =>
        ex is SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase };

    public override string? SetAsideCorrupt()
    {
        SqliteConnection.ClearAllPools();
        _walSet = false;
        var aside = $"{Path}.corrupt-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
        File.Move(Path, aside);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(Path + suffix))
            {
                File.Move(Path + suffix, aside + suffix);
            }
        }

        return aside;
    }
}
