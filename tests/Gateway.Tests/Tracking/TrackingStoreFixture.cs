using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Tests.Infrastructure;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailGateway.Gateway.Tests.Tracking;

/// <summary>A fresh tracking database of either kind: SQLite in a temporary folder, or a new database on the shared PostgreSQL.</summary>
public static class TrackingStoreFixture
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> Providers => [Sqlite, Postgres];

    public static async Task<SqlTrackingStore> CreateAsync(string provider)
    {
        TrackingDialect dialect = provider == Postgres
            ? new PostgresDialect(await PostgresServer.Shared.CreateDatabaseAsync())
            : new SqliteDialect($"Data Source={Path.Combine(Directory.CreateTempSubdirectory("mailgw-tracking-").FullName, "tracking.db")}");
        var store = new SqlTrackingStore(dialect, NullLogger<SqlTrackingStore>.Instance);
        await store.EnsureSchemaAsync(CancellationToken.None);
        return store;
    }

    public static TrackedMessage Message(string id, DateTimeOffset at, string disposition = "inbox", int? scl = 1,
        string sender = "alice@sender.test", string[]? recipients = null, string client = "192.0.2.10", int? bcl = null,
        string subject = "hello", string headerId = "") =>
        new(id, at, "node-a", "s-1", client, TrackingLimits.Network(System.Net.IPAddress.Parse(client)), "helo.test", sender,
            recipients ?? ["bob@example.org"], 1234, headerId, subject, scl, bcl, disposition, "", disposition == "rejected" ? 550 : 250);

    public static ArchiveEntry Archived(string id, DateTimeOffset at, int? scl = 8, string subject = "offer",
        string sender = "spam@spam.test", bool virus = false, long size = 2048) =>
        new(id, $"/var/archive/{id}.eml", at, sender, ["bob@example.org"], subject, scl, "Model=ok", virus, Released: false)
        {
            Size = size,
            Node = "node-a",
        };

    public static string Id(int n) => n.ToString("x32");
}
