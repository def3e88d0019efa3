using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// The tracking database's schema, as numbered migrations applied once each and recorded in <c>schema_migrations</c>.
/// A migration is never edited once shipped: a change is a new migration. The SQL is the same for SQLite and PostgreSQL
/// (BIGINT Unix milliseconds for times, INTEGER 0/1 for flags, TEXT for strings).
/// </summary>
public static class TrackingSchema
{
    public static IReadOnlyList<(int Version, string Name, string[] Statements)> Migrations { get; } =
    [
        (1, "messages (with their filter outcomes), recipients, events, feedback, archive index",
        [
            """
            CREATE TABLE messages (
                id TEXT NOT NULL PRIMARY KEY,
                received_at BIGINT NOT NULL,
                node TEXT NOT NULL,
                session_id TEXT NOT NULL,
                client_address TEXT NOT NULL,
                client_network TEXT NOT NULL,
                helo TEXT NOT NULL,
                sender TEXT NOT NULL,
                sender_lc TEXT NOT NULL,
                sender_domain TEXT NOT NULL,
                recipients TEXT NOT NULL,
                size BIGINT NOT NULL,
                header_message_id TEXT NOT NULL,
                subject TEXT NOT NULL,
                scl INTEGER NULL,
                bcl INTEGER NULL,
                disposition TEXT NOT NULL,
                detail TEXT NOT NULL,
                reply_code INTEGER NOT NULL,
                filters TEXT NOT NULL)
            """,
            "CREATE INDEX ix_messages_received ON messages (received_at)",
            "CREATE INDEX ix_messages_sender ON messages (sender_lc, received_at)",
            "CREATE INDEX ix_messages_header_id ON messages (header_message_id)",
            "CREATE INDEX ix_messages_client ON messages (client_address, received_at)",
            "CREATE INDEX ix_messages_disposition ON messages (disposition, received_at)",
            """
            CREATE TABLE message_recipients (
                message_id TEXT NOT NULL,
                address TEXT NOT NULL,
                PRIMARY KEY (message_id, address))
            """,
            "CREATE INDEX ix_message_recipients_address ON message_recipients (address)",
            """
            CREATE TABLE message_events (
                message_id TEXT NOT NULL,
                at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL,
                node TEXT NOT NULL)
            """,
            "CREATE INDEX ix_message_events_message ON message_events (message_id, at)",
            "CREATE INDEX ix_message_events_at ON message_events (at)",
            """
            CREATE TABLE feedback (
                message_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                path TEXT NOT NULL,
                node TEXT NOT NULL)
            """,
            "CREATE INDEX ix_feedback_message ON feedback (message_id)",
            "CREATE INDEX ix_feedback_at ON feedback (at)",
            """
            CREATE TABLE archive_index (
                id TEXT NOT NULL PRIMARY KEY,
                received_at BIGINT NOT NULL,
                sender TEXT NOT NULL,
                sender_lc TEXT NOT NULL,
                recipients TEXT NOT NULL,
                subject TEXT NOT NULL,
                scl INTEGER NULL,
                bcl INTEGER NULL,
                size BIGINT NOT NULL,
                node TEXT NOT NULL,
                path TEXT NOT NULL,
                is_virus INTEGER NOT NULL,
                released_at BIGINT NULL,
                trace TEXT NOT NULL,
                search_text TEXT NOT NULL)
            """,
            "CREATE INDEX ix_archive_received ON archive_index (received_at)",
            "CREATE INDEX ix_archive_scl ON archive_index (scl, received_at)",
            "CREATE INDEX ix_archive_sender ON archive_index (sender_lc, received_at)",
            "CREATE INDEX ix_archive_size ON archive_index (size)",
            "CREATE INDEX ix_archive_node ON archive_index (node)",
        ]),
    ];

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Applies the migrations this database has not seen, each in its own transaction; returns how many.</summary>
    public static async Task<int> MigrateAsync(DbConnection connection, TrackingDialect dialect, ILogger logger,
        CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var (version, name, statements) in Migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (dialect.MigrationLock.Length > 0)
            {
                await Sql.ExecuteAsync(connection, transaction, dialect.MigrationLock, cancellationToken);
            }

            // Under the lock: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent one.
            await Sql.ExecuteAsync(connection, transaction,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                cancellationToken);

            await using (var check = Sql.Command(connection, transaction,
                             "SELECT COUNT(*) FROM schema_migrations WHERE version = @version"))
            {
                Sql.Add(check, "@version", version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken)) > 0)
                {
                    continue;
                }
            }

            foreach (var statement in statements)
            {
                await Sql.ExecuteAsync(connection, transaction, statement, cancellationToken);
            }

            await using (var record = Sql.Command(connection, transaction,
                             "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)"))
            {
                Sql.Add(record, "@version", version);
                Sql.Add(record, "@name", name);
                Sql.Add(record, "@at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            applied++;
            logger.LogInformation("Tracking database {Database} migrated to version {SchemaVersion}: {Migration}",
                dialect.Location, version, name);
        }

        return applied;
    }
}
