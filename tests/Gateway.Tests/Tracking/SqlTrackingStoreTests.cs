using System.Diagnostics;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Tests.Infrastructure;
using MailGateway.Gateway.Tracking;
using Xunit.Abstractions;
using static MailGateway.Gateway.Tests.Tracking.TrackingStoreFixture;

namespace MailGateway.Gateway.Tests.Tracking;

/// <summary>The tracking store's SQL on both databases: the same queries, the same answers.</summary>
public class SqlTrackingStoreTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(TrackingStoreFixture))]
    public async Task Search_matches_each_criterion_and_pages_newest_first_with_the_total(string provider)
    {
        var store = await CreateAsync(provider);
        await store.ApplyAsync(
        [
            new MessageTracked(Message(Id(1), T0, "inbox", 1, "Alice@Sender.test", ["bob@example.org"], headerId: "one@sender.test"), []),
            new MessageTracked(Message(Id(2), T0.AddMinutes(1), "junk", 5, "carol@other.test", ["bob@example.org", "dave@example.org"]), []),
            new MessageTracked(Message(Id(3), T0.AddMinutes(2), "archive", 8, "carol@other.test", ["eve@example.org"], "198.51.100.7"), []),
            new MessageTracked(Message(Id(4), T0.AddMinutes(3), "rejected", null, "mallory@bad.test"), []),
        ], CancellationToken.None);

        async Task<string[]> Ids(TrackingQuery q) =>
            (await store.SearchAsync(q, CancellationToken.None)).Items.Select(m => m.Id[^1..]).ToArray();

        Assert.Equal(["4", "3", "2", "1"], await Ids(new TrackingQuery()));
        Assert.Equal(["1"], await Ids(new TrackingQuery { Sender = "alice@sender.TEST" }));
        Assert.Equal(["4", "2", "1"], await Ids(new TrackingQuery { Recipient = "<Bob@example.org>" }));
        Assert.Equal(["2"], await Ids(new TrackingQuery { Recipient = "dave@example.org" }));
        Assert.Equal(["1"], await Ids(new TrackingQuery { MessageId = "<one@sender.test>" }));
        Assert.Equal(["3"], await Ids(new TrackingQuery { MessageId = Id(3) }));
        Assert.Equal(["3"], await Ids(new TrackingQuery { ClientAddress = "198.51.100.7" }));
        Assert.Equal(["2"], await Ids(new TrackingQuery { Disposition = "junk" }));
        Assert.Equal(["3", "2"], await Ids(new TrackingQuery { MinScl = 5, MaxScl = 9 }));
        Assert.Equal(["3", "2"], await Ids(new TrackingQuery { Since = T0.AddMinutes(1), Until = T0.AddMinutes(3) }));
        Assert.Equal(["3"], await Ids(new TrackingQuery { Sender = "carol@other.test", MinScl = 6 }));

        var page = await store.SearchAsync(new TrackingQuery { Offset = 1, Limit = 2 }, CancellationToken.None);
        Assert.Equal(4, page.Total);
        Assert.Equal([Id(3), Id(2)], page.Items.Select(m => m.Id));
        var two = Assert.Single(page.Items, m => m.Id == Id(2));
        Assert.Equal(["bob@example.org", "dave@example.org"], two.Recipients);
        Assert.Equal("other.test", TrackingLimits.Domain(two.Sender));
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(TrackingStoreFixture))]
    public async Task One_message_comes_with_each_filter_outcome_in_order_and_its_events(string provider)
    {
        var store = await CreateAsync(provider);
        await store.ApplyAsync(
        [
            new MessageTracked(Message(Id(7), T0, "archive", 8, headerId: "seven@sender.test"),
            [
                new FilterOutcome(0, "Spf", "pass", null, null, 120),
                new FilterOutcome(1, "Model", "p=0.99", null, 8, 4100),
            ]),
            new EventAppended(new TrackingEvent(Id(7), T0.AddMinutes(5), TrackingEventKinds.Released, "to bob@example.org", "node-b")),
            new EventAppended(new TrackingEvent(Id(7), T0.AddMinutes(6), TrackingEventKinds.MarkedHam, "by token", "node-b")),
        ], CancellationToken.None);

        var detail = await store.GetAsync("<seven@sender.test>", CancellationToken.None);
        Assert.NotNull(detail);
        Assert.Equal(Id(7), detail.Message.Id);
        Assert.Equal(T0, detail.Message.ReceivedAt);
        Assert.Equal(["Spf=pass", "Model=p=0.99"], detail.Filters.Select(f => $"{f.Filter}={f.Outcome}"));
        Assert.Equal(8, detail.Filters[1].SclAfter);
        Assert.Equal(4100, detail.Filters[1].ElapsedMicroseconds);
        Assert.Equal([TrackingEventKinds.Released, TrackingEventKinds.MarkedHam], detail.Events.Select(e => e.Kind));
        Assert.Null(await store.GetAsync(Id(8), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(TrackingStoreFixture))]
    public async Task Dashboard_figures_count_per_minute_per_score_and_the_top_sources_of_unwanted_mail(string provider)
    {
        var store = await CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-10);
        await store.ApplyAsync(
        [
            new MessageTracked(Message(Id(1), minute.AddSeconds(1), "inbox", 1, "a@good.test"), []),
            new MessageTracked(Message(Id(2), minute.AddSeconds(2), "inbox", 1, "b@good.test", bcl: 3), []),
            new MessageTracked(Message(Id(3), minute.AddSeconds(61), "archive", 8, "x@spam.test", client: "203.0.113.5", bcl: 7), []),
            new MessageTracked(Message(Id(4), minute.AddSeconds(62), "archive", 8, "y@spam.test", client: "203.0.113.9"), []),
            new MessageTracked(Message(Id(5), minute.AddSeconds(63), "junk", 5, "x@spam.test", client: "198.51.100.1"), []),
            new MessageTracked(Message(Id(6), now.AddDays(-40), "archive", 8, "old@spam.test"), []),
            new EventAppended(new TrackingEvent(Id(3), now, TrackingEventKinds.Released, "", "node-a")),
            new EventAppended(new TrackingEvent(Id(3), now, TrackingEventKinds.MarkedHam, "", "node-a")),
            new EventAppended(new TrackingEvent(Id(4), now, TrackingEventKinds.MarkedSpam, "", "node-a")),
        ], CancellationToken.None);

        var counts = await store.CountsPerMinuteAsync(minute, minute.AddMinutes(2), CancellationToken.None);
        Assert.Equal(
            [$"{minute:HH:mm} inbox 2", $"{minute.AddMinutes(1):HH:mm} archive 2", $"{minute.AddMinutes(1):HH:mm} junk 1"],
            counts.Select(c => $"{c.Minute:HH:mm} {c.Disposition} {c.Count}"));

        var scl = await store.SclHistogramAsync(7, CancellationToken.None);
        Assert.Equal(["1:2/0/0", "5:1/0/0", "8:2/1/1"], scl.Select(b => $"{b.Score}:{b.Messages}/{b.ReleasedAsHam}/{b.MarkedAsSpam}"));
        var bcl = await store.BclHistogramAsync(7, CancellationToken.None);
        Assert.Equal(["3:1/0/0", "7:1/1/0"], bcl.Select(b => $"{b.Score}:{b.Messages}/{b.ReleasedAsHam}/{b.MarkedAsSpam}"));

        Assert.Equal(["x@spam.test 2", "y@spam.test 1"],
            (await store.TopAsync(TopKind.Sender, 7, 10, CancellationToken.None)).Select(t => $"{t.Key} {t.Count}"));
        Assert.Equal(["spam.test 3"],
            (await store.TopAsync(TopKind.SenderDomain, 7, 10, CancellationToken.None)).Select(t => $"{t.Key} {t.Count}"));
        Assert.Equal(["203.0.113.0/24 2"],
            (await store.TopAsync(TopKind.ClientNetwork, 7, 1, CancellationToken.None)).Select(t => $"{t.Key} {t.Count}"));
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(TrackingStoreFixture))]
    public async Task Archive_index_filters_sorts_pages_and_follows_releases_and_removals(string provider)
    {
        var store = await CreateAsync(provider);
        await store.ApplyAsync(
        [
            new ArchiveIndexed(Archived(Id(1), T0, 7, "Cheap 100% offer", size: 10)),
            new ArchiveIndexed(Archived(Id(2), T0.AddMinutes(1), 9, "Prize_winner", "Win@Prize.test", size: 30)),
            new ArchiveIndexed(Archived(Id(3), T0.AddMinutes(2), null, "EICAR", virus: true, size: 20)),
            new ArchiveIndexed(Archived(Id(4), T0.AddMinutes(3), 8, "gone soon")),
            new ArchiveReleased(Id(1), T0.AddHours(1)),
            new ArchiveRemoved(Id(4)),
        ], CancellationToken.None);

        async Task<string[]> Ids(ArchiveQuery q) =>
            (await store.ListAsync(q, CancellationToken.None)).Items.Select(e => e.Id[^1..]).ToArray();

        Assert.Equal(["3", "2", "1"], await Ids(new ArchiveQuery()));
        Assert.Equal(["1", "2", "3"], await Ids(new ArchiveQuery { Sort = ArchiveSort.Oldest }));
        Assert.Equal(["2", "1", "3"], await Ids(new ArchiveQuery { Sort = ArchiveSort.HighestScl }));
        Assert.Equal(["1", "2", "3"], await Ids(new ArchiveQuery { Sort = ArchiveSort.LowestScl }));
        Assert.Equal(["2", "3", "1"], await Ids(new ArchiveQuery { Sort = ArchiveSort.Largest }));
        Assert.Equal(["1"], await Ids(new ArchiveQuery { Text = "100%" }));
        Assert.Equal(["2"], await Ids(new ArchiveQuery { Text = "e_w" }));
        Assert.Equal(["2"], await Ids(new ArchiveQuery { Text = "prize.TEST" }));
        Assert.Equal(["2"], await Ids(new ArchiveQuery { Sender = "win@prize.test" }));
        Assert.Equal(["2", "1"], await Ids(new ArchiveQuery { MinScl = 7, MaxScl = 9 }));
        Assert.Equal(["2"], await Ids(new ArchiveQuery { State = ArchiveStateFilter.Held }));
        Assert.Equal(["1"], await Ids(new ArchiveQuery { State = ArchiveStateFilter.Released }));
        Assert.Equal(["3"], await Ids(new ArchiveQuery { State = ArchiveStateFilter.Virus }));
        Assert.Equal(["2"], await Ids(new ArchiveQuery { Since = T0.AddMinutes(1), Until = T0.AddMinutes(2) }));

        var released = await store.FindAsync(Id(1), CancellationToken.None);
        Assert.NotNull(released);
        Assert.True(released.Released);
        Assert.Equal(T0.AddHours(1), released.ReleasedAt);
        Assert.Equal("node-a", released.Node);
        Assert.Equal(["bob@example.org"], released.EnvelopeTo);
        Assert.Null(await store.FindAsync(Id(4), CancellationToken.None));
        var page = await store.ListAsync(new ArchiveQuery { Limit = 1, Offset = 1 }, CancellationToken.None);
        Assert.Equal(3, page.Total);
        Assert.Equal(Id(2), Assert.Single(page.Items).Id);
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(TrackingStoreFixture))]
    public async Task A_megabyte_subject_is_stored_as_its_first_256_characters_and_a_replayed_batch_adds_nothing(string provider)
    {
        var store = await CreateAsync(provider);
        var subject = new string('s', 1024 * 1024);
        var batch = new TrackingWrite[]
        {
            new MessageTracked(Message(Id(1), T0, subject: subject, recipients: ["a@example.org", "A@example.org"]),
                [new FilterOutcome(0, "Model", "ok", null, 1, 10)]),
            new ArchiveIndexed(Archived(Id(1), T0, subject: subject)),
        };
        await store.ApplyAsync(batch, CancellationToken.None);
        await store.ApplyAsync(batch.Take(2).ToList(), CancellationToken.None);

        var page = await store.SearchAsync(new TrackingQuery { Recipient = "a@example.org" }, CancellationToken.None);
        Assert.Equal(1, page.Total);
        Assert.Equal(TrackingLimits.SubjectChars, Assert.Single(page.Items).Subject.Length);
        var archived = Assert.Single((await store.ListAsync(new ArchiveQuery(), CancellationToken.None)).Items);
        Assert.Equal(TrackingLimits.SubjectChars, archived.Subject.Length);
        Assert.Single((await store.GetAsync(Id(1), CancellationToken.None))!.Filters);
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(TrackingStoreFixture))]
    public async Task Retention_deletes_records_events_and_feedback_older_than_the_cutoff_and_keeps_the_rest(string provider)
    {
        var store = await CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        await store.ApplyAsync(
        [
            new MessageTracked(Message(Id(1), now.AddDays(-31), recipients: ["old@example.org"]), [new FilterOutcome(0, "Model", "ok", null, 1, 10)]),
            new EventAppended(new TrackingEvent(Id(1), now.AddDays(-31), TrackingEventKinds.MarkedSpam, "", "n")),
            new FeedbackRecorded(new FeedbackMark(Id(1), FeedbackKind.Spam, now.AddDays(-31), "token", "/f/1.eml", "n")),
            new MessageTracked(Message(Id(2), now.AddDays(-1), recipients: ["new@example.org"]), []),
        ], CancellationToken.None);

        Assert.Equal(1, await store.DeleteOlderThanAsync(now.AddDays(-30), CancellationToken.None));

        Assert.Equal([Id(2)], (await store.SearchAsync(new TrackingQuery(), CancellationToken.None)).Items.Select(m => m.Id));
        Assert.Equal(0, (await store.SearchAsync(new TrackingQuery { Recipient = "old@example.org" }, CancellationToken.None)).Total);
        Assert.Null(await store.GetAsync(Id(1), CancellationToken.None));
        Assert.Equal(0, await store.DeleteOlderThanAsync(now.AddDays(-30), CancellationToken.None));
    }

    [Fact]
    public async Task Two_gateways_migrating_one_postgresql_at_once_create_the_schema_once()
    {
        var connection = await PostgresServer.Shared.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 4)
            .Select(_ => new SqlTrackingStore(new PostgresDialect(connection), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqlTrackingStore>.Instance))
            .ToList();
        await Task.WhenAll(stores.Select(s => s.EnsureSchemaAsync(CancellationToken.None)));
        await using var db = new Npgsql.NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", db);
        Assert.Equal((long)TrackingSchema.Migrations.Count, (long)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>The figure for the "100,000 archived messages listed in under 200 ms": printed, not asserted.</summary>
    [Fact]
    public async Task A_page_of_a_hundred_thousand_archived_messages_in_sqlite_lists_from_the_index()
    {
        var store = await CreateAsync(Sqlite);
        const int total = 100_000;
        var insert = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, total).Chunk(5000))
        {
            await store.ApplyAsync(chunk.Select(n => (TrackingWrite)new ArchiveIndexed(
                Archived(Id(n), T0.AddSeconds(n), n % 10, $"subject {n}", $"sender{n % 997}@spam{n % 13}.test"))).ToList(),
                CancellationToken.None);
        }

        insert.Stop();
        var queries = new (string Name, ArchiveQuery Query)[]
        {
            ("newest, first page", new ArchiveQuery()),
            ("newest, page 1000", new ArchiveQuery { Offset = 50_000 }),
            ("min SCL 7, since", new ArchiveQuery { MinScl = 7, Since = T0.AddSeconds(20_000) }),
            ("highest SCL", new ArchiveQuery { Sort = ArchiveSort.HighestScl }),
            ("sender", new ArchiveQuery { Sender = "sender5@spam5.test" }),
            ("text", new ArchiveQuery { Text = "subject 9999" }),
        };
        await store.ListAsync(new ArchiveQuery(), CancellationToken.None);
        foreach (var (name, query) in queries)
        {
            var watch = Stopwatch.StartNew();
            var page = await store.ListAsync(query, CancellationToken.None);
            watch.Stop();
            output.WriteLine($"{name}: {page.Items.Count} of {page.Total} in {watch.Elapsed.TotalMilliseconds:F1} ms");
            Assert.NotEmpty(page.Items);
        }

        var first = await store.ListAsync(new ArchiveQuery(), CancellationToken.None);
        Assert.Equal(total, first.Total);
        Assert.Equal(Id(total - 1), first.Items[0].Id);
        Assert.Equal(11, (await store.ListAsync(new ArchiveQuery { Text = "subject 9999" }, CancellationToken.None)).Total);
        output.WriteLine($"inserted {total} rows in {insert.Elapsed.TotalSeconds:F1} s");
    }
}
