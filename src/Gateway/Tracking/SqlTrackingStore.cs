using System.Data;
using System.Data.Common;
using System.Text;
using MailGateway.Gateway.Delivery;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// The tracking database over ADO.NET, the same SQL for SQLite and PostgreSQL (<see cref="TrackingDialect"/> for the
/// rest): the reads of <see cref="ITrackingStore"/> and <see cref="IArchiveIndex"/>, and the batched writes
/// <see cref="TrackingWriter"/> applies, one transaction per batch.
/// </summary>
public sealed class SqlTrackingStore(TrackingDialect dialect, ILogger<SqlTrackingStore> logger) : ITrackingStore, IArchiveIndex
{
    private const int MaxPage = 1000;
    private const string Unwanted = "('rejected', 'archive', 'virus-archive', 'junk')";

    private const string MessageColumns =
        "m.id, m.received_at, m.node, m.session_id, m.client_address, m.client_network, m.helo, m.sender, m.recipients, " +
        "m.size, m.header_message_id, m.subject, m.scl, m.bcl, m.disposition, m.detail, m.reply_code";

    private const string ArchiveColumns =
        "a.id, a.path, a.received_at, a.sender, a.recipients, a.subject, a.scl, a.trace, a.is_virus, a.released_at, a.bcl, a.size, a.node";

    private static readonly (string Name, DbType Type)[] MessageInsertColumns =
    [
        ("id", DbType.String), ("received_at", DbType.Int64), ("node", DbType.String), ("session_id", DbType.String),
        ("client_address", DbType.String), ("client_network", DbType.String), ("helo", DbType.String),
        ("sender", DbType.String), ("sender_lc", DbType.String), ("sender_domain", DbType.String),
        ("recipients", DbType.String), ("size", DbType.Int64), ("header_message_id", DbType.String),
        ("subject", DbType.String), ("scl", DbType.Int32), ("bcl", DbType.Int32), ("disposition", DbType.String),
        ("detail", DbType.String), ("reply_code", DbType.Int32), ("filters", DbType.String),
    ];

    private static readonly (string, DbType)[] RecipientColumns = [("message_id", DbType.String), ("address", DbType.String)];

    private static readonly (string, DbType)[] EventColumns =
    [
        ("message_id", DbType.String), ("at", DbType.Int64), ("kind", DbType.String), ("detail", DbType.String),
        ("node", DbType.String),
    ];

    private static readonly (string, DbType)[] FeedbackColumns =
    [
        ("message_id", DbType.String), ("kind", DbType.String), ("at", DbType.Int64), ("actor", DbType.String),
        ("path", DbType.String), ("node", DbType.String),
    ];

    private static readonly (string, DbType)[] ArchiveInsertColumns =
    [
        ("id", DbType.String), ("received_at", DbType.Int64), ("sender", DbType.String), ("sender_lc", DbType.String),
        ("recipients", DbType.String), ("subject", DbType.String), ("scl", DbType.Int32), ("bcl", DbType.Int32),
        ("size", DbType.Int64), ("node", DbType.String), ("path", DbType.String), ("is_virus", DbType.Int32),
        ("released_at", DbType.Int64), ("trace", DbType.String), ("search_text", DbType.String),
    ];

    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public TrackingDialect Dialect => dialect;

    /// <summary>Creates or migrates the schema once per process; throws while the database cannot be reached.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await using var connection = await dialect.OpenAsync(cancellationToken);
                await TrackingSchema.MigrateAsync(connection, dialect, logger, cancellationToken);
                // SQLite opens a damaged file happily and fails on the first page it reads: read every page now.
                if (dialect is SqliteDialect)
                {
                    await using var check = Sql.Command(connection, null, "PRAGMA quick_check");
                    var result = (await check.ExecuteScalarAsync(cancellationToken))?.ToString();
                    if (result != "ok")
                    {
                        throw new InvalidDataException($"SQLite quick_check: {result}");
                    }
                }

                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Forgets that the schema was checked (after the database was set aside and must be created anew).</summary>
    public void ResetSchema() => _schemaReady = false;

    /// <summary>A round trip to the database; throws when it does not answer.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, null, "SELECT 1", cancellationToken);
    }

    /// <summary>Applies <paramref name="writes"/> in one transaction: all of them, or none (and it throws).</summary>
    public async Task ApplyAsync(IReadOnlyList<TrackingWrite> writes, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var messages = writes.OfType<MessageTracked>().ToList();
        await InsertAsync(connection, transaction, "messages", MessageInsertColumns, "ON CONFLICT (id) DO NOTHING",
            messages.Select(w => MessageRow(w.Message, w.Filters)), cancellationToken);
        await InsertAsync(connection, transaction, "message_recipients", RecipientColumns,
            "ON CONFLICT (message_id, address) DO NOTHING",
            messages.SelectMany(w => w.Message.Recipients.Take(TrackingLimits.RecipientsPerMessage)
                .Select(r => TrackingLimits.Bound(r, TrackingLimits.AddressChars).ToLowerInvariant()).Distinct()
                .Select(r => new object?[] { w.Message.Id, r })),
            cancellationToken);
        await InsertAsync(connection, transaction, "message_events", EventColumns, "",
            writes.OfType<EventAppended>().Select(w => new object?[]
            {
                w.Event.MessageId, Sql.Millis(w.Event.At), w.Event.Kind, TrackingLimits.Bound(w.Event.Detail, TrackingLimits.DetailChars),
                w.Event.Node,
            }),
            cancellationToken);
        await InsertAsync(connection, transaction, "feedback", FeedbackColumns, "",
            writes.OfType<FeedbackRecorded>().Select(w => new object?[]
            {
                w.Mark.MessageId, w.Mark.Kind == FeedbackKind.Spam ? "spam" : "ham", Sql.Millis(w.Mark.At),
                TrackingLimits.Bound(w.Mark.Actor, 64), w.Mark.Path, w.Mark.Node,
            }),
            cancellationToken);

        // Archive rows in order: a release or removal may follow the row's insert in the same batch.
        foreach (var write in writes.Where(w => w.IsArchiveIndex))
        {
            switch (write)
            {
                case ArchiveIndexed indexed:
                    await InsertAsync(connection, transaction, "archive_index", ArchiveInsertColumns,
                        "ON CONFLICT (id) DO NOTHING", [ArchiveRow(indexed.Entry)], cancellationToken);
                    break;
                case ArchiveReleased released:
                    await using (var update = Sql.Command(connection, transaction,
                                     "UPDATE archive_index SET released_at = @at WHERE id = @id"))
                    {
                        Sql.Add(update, "@at", Sql.Millis(released.At));
                        Sql.Add(update, "@id", released.Id);
                        await update.ExecuteNonQueryAsync(cancellationToken);
                    }

                    break;
                case ArchiveRemoved removed:
                    await using (var delete = Sql.Command(connection, transaction, "DELETE FROM archive_index WHERE id = @id"))
                    {
                        Sql.Add(delete, "@id", removed.Id);
                        await delete.ExecuteNonQueryAsync(cancellationToken);
                    }

                    break;
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes tracking records, events and feedback rows older than <paramref name="cutoff"/>; returns the messages deleted.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var old = "(SELECT id FROM messages WHERE received_at < @cutoff)";
        string[] statements =
        [
            $"DELETE FROM message_recipients WHERE message_id IN {old}",
            "DELETE FROM message_events WHERE at < @cutoff",
            "DELETE FROM feedback WHERE at < @cutoff",
        ];
        foreach (var statement in statements)
        {
            await using var command = Sql.Command(connection, transaction, statement);
            Sql.Add(command, "@cutoff", Sql.Millis(cutoff));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int deleted;
        await using (var command = Sql.Command(connection, transaction, "DELETE FROM messages WHERE received_at < @cutoff"))
        {
            Sql.Add(command, "@cutoff", Sql.Millis(cutoff));
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>The ids in the archive index, and the paths of those <paramref name="node"/> holds (for the rebuild).</summary>
    public async Task<(HashSet<string> All, Dictionary<string, string> OnNode)> ArchiveIdsAsync(string node,
        CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, "SELECT id, node, path FROM archive_index");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var all = new HashSet<string>(StringComparer.Ordinal);
        var onNode = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            all.Add(id);
            if (reader.GetString(1) == node)
            {
                onNode[id] = reader.GetString(2);
            }
        }

        return (all, onNode);
    }

    public async Task<ResultPage<TrackedMessage>> SearchAsync(TrackingQuery query, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var (where, bind) = MessageFilter(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPage);
        var offset = Math.Max(0, query.Offset);
        long total;
        await using (var count = Sql.Command(connection, null, $"SELECT COUNT(*) FROM messages m {where}"))
        {
            bind(count);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken));
        }

        var items = new List<TrackedMessage>();
        await using (var select = Sql.Command(connection, null,
                         $"SELECT {MessageColumns} FROM messages m {where} ORDER BY m.received_at DESC, m.id DESC LIMIT @limit OFFSET @offset"))
        {
            bind(select);
            Sql.Add(select, "@limit", limit);
            Sql.Add(select, "@offset", offset);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadMessage(reader));
            }
        }

        return new ResultPage<TrackedMessage>(items, total, offset, limit);
    }

    public async Task<TrackedMessageDetail?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        TrackedMessage? message = null;
        IReadOnlyList<FilterOutcome> filters = [];
        await using (var select = Sql.Command(connection, null,
                         $"SELECT {MessageColumns}, m.filters FROM messages m WHERE m.id = @id OR m.header_message_id = @header ORDER BY CASE WHEN m.id = @id THEN 0 ELSE 1 END, m.received_at DESC LIMIT 1"))
        {
            Sql.Add(select, "@id", id.Trim());
            Sql.Add(select, "@header", TrackingLimits.HeaderMessageId(id));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                message = ReadMessage(reader);
                filters = FilterOutcomesJson.Read(reader.GetString(17));
            }
        }

        if (message is null)
        {
            return null;
        }

        var events = new List<TrackingEvent>();
        await using (var select = Sql.Command(connection, null,
                         "SELECT at, kind, detail, node FROM message_events WHERE message_id = @id ORDER BY at"))
        {
            Sql.Add(select, "@id", message.Id);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new TrackingEvent(message.Id, Sql.Time(Convert.ToInt64(reader.GetValue(0))), reader.GetString(1),
                    reader.GetString(2), reader.GetString(3)));
            }
        }

        return new TrackedMessageDetail(message, filters, events);
    }

    public async Task<IReadOnlyList<DispositionCount>> CountsPerMinuteAsync(DateTimeOffset since, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var select = Sql.Command(connection, null,
            "SELECT received_at / 60000, disposition, COUNT(*) FROM messages WHERE received_at >= @since AND received_at < @until GROUP BY 1, 2 ORDER BY 1, 2");
        Sql.Add(select, "@since", Sql.Millis(since));
        Sql.Add(select, "@until", Sql.Millis(until));
        var counts = new List<DispositionCount>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new DispositionCount(Sql.Time(Convert.ToInt64(reader.GetValue(0)) * 60_000), reader.GetString(1),
                Convert.ToInt64(reader.GetValue(2))));
        }

        return counts;
    }

    public Task<IReadOnlyList<ScoreBucket>> SclHistogramAsync(int days, CancellationToken cancellationToken) =>
        HistogramAsync("scl", days, cancellationToken);

    public Task<IReadOnlyList<ScoreBucket>> BclHistogramAsync(int days, CancellationToken cancellationToken) =>
        HistogramAsync("bcl", days, cancellationToken);

    public async Task<IReadOnlyList<TopEntry>> TopAsync(TopKind kind, int days, int limit, CancellationToken cancellationToken)
    {
        var column = kind switch
        {
            TopKind.Sender => "sender_lc",
            TopKind.SenderDomain => "sender_domain",
            _ => "client_network",
        };
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var select = Sql.Command(connection, null,
            $"SELECT {column}, COUNT(*) FROM messages WHERE received_at >= @since AND disposition IN {Unwanted} GROUP BY {column} ORDER BY 2 DESC, 1 LIMIT @limit");
        Sql.Add(select, "@since", Sql.Millis(DateTimeOffset.UtcNow.AddDays(-Math.Max(1, days))));
        Sql.Add(select, "@limit", Math.Clamp(limit, 1, MaxPage));
        var top = new List<TopEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            top.Add(new TopEntry(reader.GetString(0), Convert.ToInt64(reader.GetValue(1))));
        }

        return top;
    }

    public async Task<ResultPage<ArchiveEntry>> ListAsync(ArchiveQuery query, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var (where, bind) = ArchiveFilter(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPage);
        var offset = Math.Max(0, query.Offset);
        // A text search scans every row: count and page in that one scan. Otherwise the page comes from an index and
        // the count from a quicker pass of its own.
        var scan = !string.IsNullOrWhiteSpace(query.Text);
        long total = 0;
        if (!scan)
        {
            await using var count = Sql.Command(connection, null, $"SELECT COUNT(*) FROM archive_index a {where}");
            bind(count);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken));
        }

        var order = query.Sort switch
        {
            ArchiveSort.Oldest => "a.received_at, a.id",
            ArchiveSort.HighestScl => "a.scl DESC NULLS LAST, a.received_at DESC, a.id DESC",
            ArchiveSort.LowestScl => "a.scl NULLS LAST, a.received_at DESC, a.id DESC",
            ArchiveSort.Sender => "a.sender_lc, a.received_at DESC, a.id DESC",
            ArchiveSort.Largest => "a.size DESC, a.id DESC",
            _ => "a.received_at DESC, a.id DESC",
        };
        var items = new List<ArchiveEntry>();
        var columns = scan ? ArchiveColumns + ", COUNT(*) OVER ()" : ArchiveColumns;
        await using (var select = Sql.Command(connection, null,
                         $"SELECT {columns} FROM archive_index a {where} ORDER BY {order} LIMIT @limit OFFSET @offset"))
        {
            bind(select);
            Sql.Add(select, "@limit", limit);
            Sql.Add(select, "@offset", offset);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadArchive(reader));
                if (scan)
                {
                    total = Convert.ToInt64(reader.GetValue(13));
                }
            }
        }

        if (scan && items.Count == 0 && offset > 0)
        {
            // Past the last page: the window count came with no row.
            total = (await ListAsync(query with { Offset = 0, Limit = 1 }, cancellationToken)).Total;
        }

        return new ResultPage<ArchiveEntry>(items, total, offset, limit);
    }

    public async Task<ArchiveEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var select = Sql.Command(connection, null, $"SELECT {ArchiveColumns} FROM archive_index a WHERE a.id = @id");
        Sql.Add(select, "@id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadArchive(reader) : null;
    }

    private async Task<IReadOnlyList<ScoreBucket>> HistogramAsync(string column, int days, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var select = Sql.Command(connection, null, $"""
            SELECT m.{column}, COUNT(*),
              SUM(CASE WHEN EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.kind IN ('{TrackingEventKinds.Released}', '{TrackingEventKinds.MarkedHam}')) THEN 1 ELSE 0 END),
              SUM(CASE WHEN EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.kind = '{TrackingEventKinds.MarkedSpam}') THEN 1 ELSE 0 END)
            FROM messages m WHERE m.received_at >= @since AND m.{column} IS NOT NULL
            GROUP BY m.{column} ORDER BY m.{column}
            """);
        Sql.Add(select, "@since", Sql.Millis(DateTimeOffset.UtcNow.AddDays(-Math.Max(1, days))));
        var buckets = new List<ScoreBucket>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new ScoreBucket(Convert.ToInt32(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1)),
                Convert.ToInt64(reader.GetValue(2)), Convert.ToInt64(reader.GetValue(3))));
        }

        return buckets;
    }

    private static (string Where, Action<DbCommand> Bind) MessageFilter(TrackingQuery q)
    {
        var conditions = new List<string>();
        var binds = new List<Action<DbCommand>>();
        void When(bool given, string condition, Action<DbCommand> bind)
        {
            if (given)
            {
                conditions.Add(condition);
                binds.Add(bind);
            }
        }

        When(!string.IsNullOrWhiteSpace(q.Sender), "m.sender_lc = @sender",
            c => Sql.Add(c, "@sender", q.Sender!.Trim().Trim('<', '>').ToLowerInvariant()));
        When(!string.IsNullOrWhiteSpace(q.Recipient),
            "m.id IN (SELECT r.message_id FROM message_recipients r WHERE r.address = @recipient)",
            c => Sql.Add(c, "@recipient", q.Recipient!.Trim().Trim('<', '>').ToLowerInvariant()));
        When(!string.IsNullOrWhiteSpace(q.MessageId), "(m.id = @id OR m.header_message_id = @header)", c =>
        {
            Sql.Add(c, "@id", q.MessageId!.Trim());
            Sql.Add(c, "@header", TrackingLimits.HeaderMessageId(q.MessageId));
        });
        When(!string.IsNullOrWhiteSpace(q.ClientAddress), "m.client_address = @client",
            c => Sql.Add(c, "@client", q.ClientAddress!.Trim()));
        When(!string.IsNullOrWhiteSpace(q.Disposition), "m.disposition = @disposition",
            c => Sql.Add(c, "@disposition", q.Disposition!.Trim().ToLowerInvariant()));
        When(q.MinScl is not null, "m.scl >= @minScl", c => Sql.Add(c, "@minScl", q.MinScl));
        When(q.MaxScl is not null, "m.scl <= @maxScl", c => Sql.Add(c, "@maxScl", q.MaxScl));
        When(q.Since is not null, "m.received_at >= @since", c => Sql.Add(c, "@since", Sql.Millis(q.Since!.Value)));
        When(q.Until is not null, "m.received_at < @until", c => Sql.Add(c, "@until", Sql.Millis(q.Until!.Value)));
        return (conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions), c => binds.ForEach(b => b(c)));
    }

    private static (string Where, Action<DbCommand> Bind) ArchiveFilter(ArchiveQuery q)
    {
        var conditions = new List<string>();
        var binds = new List<Action<DbCommand>>();
        void When(bool given, string condition, Action<DbCommand>? bind = null)
        {
            if (given)
            {
                conditions.Add(condition);
                if (bind is not null)
                {
                    binds.Add(bind);
                }
            }
        }

        When(!string.IsNullOrWhiteSpace(q.Text), "a.search_text LIKE @text ESCAPE '\\'",
            c => Sql.Add(c, "@text", Sql.Contains(q.Text!.Trim())));
        When(!string.IsNullOrWhiteSpace(q.Sender), "a.sender_lc = @sender",
            c => Sql.Add(c, "@sender", q.Sender!.Trim().Trim('<', '>').ToLowerInvariant()));
        When(q.MinScl is not null, "a.scl >= @minScl", c => Sql.Add(c, "@minScl", q.MinScl));
        When(q.MaxScl is not null, "a.scl <= @maxScl", c => Sql.Add(c, "@maxScl", q.MaxScl));
        When(q.Since is not null, "a.received_at >= @since", c => Sql.Add(c, "@since", Sql.Millis(q.Since!.Value)));
        When(q.Until is not null, "a.received_at < @until", c => Sql.Add(c, "@until", Sql.Millis(q.Until!.Value)));
        When(q.State == ArchiveStateFilter.Held, "a.is_virus = 0 AND a.released_at IS NULL");
        When(q.State == ArchiveStateFilter.Released, "a.released_at IS NOT NULL");
        When(q.State == ArchiveStateFilter.Virus, "a.is_virus = 1");
        return (conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions), c => binds.ForEach(b => b(c)));
    }

    private static object?[] MessageRow(TrackedMessage m, IReadOnlyList<FilterOutcome> filters)
    {
        var sender = TrackingLimits.Bound(m.Sender, TrackingLimits.AddressChars);
        return
        [
            m.Id, Sql.Millis(m.ReceivedAt), m.Node, m.SessionId, m.ClientAddress, m.ClientNetwork,
            TrackingLimits.Bound(m.HeloName, 255), sender, sender.ToLowerInvariant(), TrackingLimits.Domain(sender),
            string.Join('\n', m.Recipients.Take(TrackingLimits.RecipientsPerMessage).Select(r => TrackingLimits.Bound(r, TrackingLimits.AddressChars))),
            m.Size, TrackingLimits.HeaderMessageId(m.HeaderMessageId), TrackingLimits.Bound(m.Subject, TrackingLimits.SubjectChars),
            m.Scl, m.Bcl, m.Disposition, TrackingLimits.Bound(m.Detail, TrackingLimits.DetailChars), m.ReplyCode,
            FilterOutcomesJson.Write(filters),
        ];
    }

    private static object?[] ArchiveRow(ArchiveEntry e)
    {
        var sender = TrackingLimits.Bound(e.EnvelopeFrom, TrackingLimits.AddressChars);
        var recipients = string.Join('\n', e.EnvelopeTo.Take(TrackingLimits.RecipientsPerMessage)
            .Select(r => TrackingLimits.Bound(r, TrackingLimits.AddressChars)));
        var subject = TrackingLimits.Bound(e.Subject, TrackingLimits.SubjectChars);
        return
        [
            e.Id, Sql.Millis(e.Date), sender, sender.ToLowerInvariant(), recipients, subject, e.Scl, e.Bcl, e.Size, e.Node,
            e.Path, e.IsVirus ? 1 : 0, e.ReleasedAt is { } r ? Sql.Millis(r) : e.Released ? Sql.Millis(e.Date) : null,
            TrackingLimits.Bound(e.Trace, TrackingLimits.TraceChars),
            $"{subject}\n{sender}\n{recipients}\n{e.Id}".ToLowerInvariant(),
        ];
    }

    private static TrackedMessage ReadMessage(DbDataReader r) => new(
        r.GetString(0), Sql.Time(Convert.ToInt64(r.GetValue(1))), r.GetString(2), r.GetString(3), r.GetString(4),
        r.GetString(5), r.GetString(6), r.GetString(7), Lines(r.GetString(8)), Convert.ToInt64(r.GetValue(9)),
        r.GetString(10), r.GetString(11), Sql.NullableInt(r, 12), Sql.NullableInt(r, 13), r.GetString(14), r.GetString(15),
        Convert.ToInt32(r.GetValue(16)));

    private static ArchiveEntry ReadArchive(DbDataReader r)
    {
        var releasedAt = Sql.NullableLong(r, 9);
        return new ArchiveEntry(r.GetString(0), r.GetString(1), Sql.Time(Convert.ToInt64(r.GetValue(2))), r.GetString(3),
            Lines(r.GetString(4)), r.GetString(5), Sql.NullableInt(r, 6), r.GetString(7), Convert.ToInt32(r.GetValue(8)) != 0,
            releasedAt is not null)
        {
            ReleasedAt = releasedAt is { } at ? Sql.Time(at) : null,
            Bcl = Sql.NullableInt(r, 10),
            Size = Convert.ToInt64(r.GetValue(11)),
            Node = r.GetString(12),
        };
    }

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.Split('\n');

    /// <summary>
    /// Inserts <paramref name="rows"/> in statements of <see cref="TrackingDialect.RowsPerInsert"/> rows. The statement
    /// of a full chunk is built and prepared once and executed again with the next chunk's values, so its SQL is
    /// parsed and its parameters created once per call, not once per chunk.
    /// </summary>
    private async Task InsertAsync(DbConnection connection, DbTransaction transaction, string table,
        (string Name, DbType Type)[] columns, string conflict, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(dialect.RowsPerInsert))
            {
                if (chunk.Length == dialect.RowsPerInsert)
                {
                    full ??= InsertCommand(connection, transaction, table, columns, conflict, chunk.Length);
                    await ExecuteInsertAsync(full, chunk, columns.Length, cancellationToken);
                    continue;
                }

                await using var last = InsertCommand(connection, transaction, table, columns, conflict, chunk.Length);
                await ExecuteInsertAsync(last, chunk, columns.Length, cancellationToken);
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand InsertCommand(DbConnection connection, DbTransaction transaction, string table,
        (string Name, DbType Type)[] columns, string conflict, int rowCount)
    {
        var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ");
        var command = Sql.Command(connection, transaction, "");
        for (var i = 0; i < rowCount; i++)
        {
            sql.Append(i == 0 ? "(" : ", (");
            for (var j = 0; j < columns.Length; j++)
            {
                var name = $"@p{i}_{j}";
                sql.Append(j == 0 ? name : ", " + name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.DbType = columns[j].Type;
                command.Parameters.Add(parameter);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(' ').Append(conflict).ToString();
        return command;
    }

    private static async Task ExecuteInsertAsync(DbCommand command, object?[][] chunk, int columnCount,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            for (var j = 0; j < columnCount; j++)
            {
                command.Parameters[i * columnCount + j].Value = chunk[i][j] ?? DBNull.Value;
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
