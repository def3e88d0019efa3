using System.Net.Http;
using System.Text.RegularExpressions;
using MailGateway.Gateway.Tests.Infrastructure;
using MailGateway.Gateway.Tests.Tracking;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit.Utils;
using Xunit.Abstractions;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// Message tracking end to end: real gateway processes, real SMTP, SQLite or a real PostgreSQL, and `mailgw track`.
/// </summary>
public class TrackingTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [MemberData(nameof(TrackingStoreFixture.Providers), MemberType = typeof(TrackingStoreFixture))]
    public async Task Delivered_junk_archived_and_refused_messages_are_tracked_and_found_by_mailgw_track(string provider)
    {
        var thresholds = Path.Combine(Directory.CreateTempSubdirectory("mailgw-track-").FullName, "thresholds.json");
        await File.WriteAllTextAsync(thresholds, Thresholds(junk: 1, archive: 9, reject: 10));
        var settings = new Dictionary<string, string> { ["Scl:ThresholdsFile"] = thresholds };
        if (provider == TrackingStoreFixture.Postgres)
        {
            settings["Tracking:ConnectionString"] = await PostgresServer.Shared.CreateDatabaseAsync();
        }

        await using var gateway = await GatewayProcess.StartAsync(settings);
        var run = Guid.NewGuid().ToString("N")[..8];
        // The good phrase forces SCL 0 (under junk>=1: the inbox), the bad one SCL 9 (archive>=9). Then the thresholds
        // move so the good phrase lands in junk (junk>=0) and the bad one is refused (reject>=9).
        var inbox = await SendAsync(gateway, $"in-{run}@sender.test", "status", "notes on project phoenix");
        var archived = await SendAsync(gateway, $"arch-{run}@sender.test", "offer", "free money for you");
        Assert.Equal(250, inbox.Code);
        Assert.Equal(250, archived.Code);
        await File.WriteAllTextAsync(thresholds, Thresholds(junk: 0, archive: 9, reject: 10));
        Assert.True(await gateway.WaitForOutputAsync("to junk>=0 archive>=9 reject>=10", TimeSpan.FromSeconds(20)), gateway.Output);
        var junk = await SendAsync(gateway, $"junk-{run}@sender.test", "minutes", "project phoenix minutes");
        Assert.Equal(250, junk.Code);
        await File.WriteAllTextAsync(thresholds, Thresholds(junk: 0, archive: 8, reject: 9));
        Assert.True(await gateway.WaitForOutputAsync("reject>=9", TimeSpan.FromSeconds(20)), gateway.Output);
        var refused = await SendAsync(gateway, $"ref-{run}@sender.test", "offer", "free money again");
        Assert.Equal(550, refused.Code);

        var inboxLine = await TrackAsync(gateway, settings, "--message-id", inbox.MessageId);
        Assert.True(Regex.IsMatch(inboxLine,
            $@"\tinbox\t250\tscl=0\tfrom=<in-{run}@sender\.test>\tto=track@example\.org\tclient=127\.0\.0\.1\tmessage-id={Regex.Escape(inbox.MessageId)}\tsubject=status"),
            inboxLine);
        Assert.Contains("\tjunk\t250\t", await TrackAsync(gateway, settings, "--message-id", $"<{junk.MessageId}>"));
        var archivedLine = await TrackAsync(gateway, settings, "--message-id", archived.MessageId, "--detail");
        Assert.Contains("\tarchive\t250\tscl=9\t", archivedLine);
        Assert.Matches(@"  filter Keywords=bad\S* scl none->9", archivedLine);
        // The 250's queue id is the gateway id, and the archive file's name.
        var queueId = Regex.Match(archived.Text, "[0-9a-f]{32}").Value;
        Assert.Contains($"\t{queueId}\tarchive\t", await TrackAsync(gateway, settings, "--message-id", queueId));
        Assert.Contains(gateway.ArchivedMessages(), f => Path.GetFileNameWithoutExtension(f) == queueId);
        var refusedLine = await TrackAsync(gateway, settings, "--from", $"ref-{run}@sender.test");
        Assert.Contains("\trejected\t550\tscl=9\t", refusedLine);
        var all = await TrackAsync(gateway, settings, "--to", "track@example.org", "--since", "1h");
        Assert.Equal(4, all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(run)));
    }

    [Fact]
    public async Task A_postgresql_that_stops_mid_run_costs_no_mail_the_gap_is_counted_and_later_records_are_written()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Tracking:ConnectionString"] = await postgres.CreateDatabaseAsync(),
            ["Tracking:QueueCapacity"] = "10",
        };
        await using var gateway = await GatewayProcess.StartAsync(settings);
        var before = await SendAsync(gateway, "before@sender.test", "before", "project phoenix before");
        Assert.Contains("\tinbox\t", await TrackAsync(gateway, settings, "--message-id", before.MessageId));

        await postgres.StopAsync();
        const int during = 30;
        var duringIds = new List<string>();
        for (var i = 0; i < during; i++)
        {
            var sent = await SendAsync(gateway, "during@sender.test", $"during {i}", "project phoenix during the outage");
            Assert.Equal(250, sent.Code);
            duringIds.Add(sent.MessageId);
        }

        Assert.Equal(during + 1, gateway.Messages("track@example.org").Count);
        var metrics = "";
        for (var i = 0; i < 40 && !Regex.IsMatch(metrics, @"mailgateway_tracking_failed_batches_total\{[^}]*\} [1-9]"); i++)
        {
            await Task.Delay(250);
            metrics = await Http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/metrics");
        }

        var dropped = Regex.Match(metrics, @"mailgateway_tracking_dropped_total\{[^}]*reason=""queue_full""[^}]*\} (\d+)");
        Assert.True(dropped.Success, metrics);
        Assert.InRange(int.Parse(dropped.Groups[1].Value), 1, during);
        Assert.Matches(@"mailgateway_tracking_failed_batches_total\{[^}]*\} [1-9]", metrics);
        Assert.True(await gateway.WaitForOutputAsync("unavailable"), gateway.Output);
        Assert.True(await gateway.WaitForOutputAsync("Tracking gap:"), gateway.Output);

        await postgres.StartAgainAsync();
        // The writer retries with back-off (10 s at most); the queue has room again once it has caught up.
        Assert.True(await gateway.WaitForOutputAsync("is back after", TimeSpan.FromSeconds(60)), gateway.Output);
        var after = await SendAsync(gateway, "after@sender.test", "after", "project phoenix after");
        Assert.Contains("\tinbox\t", await TrackAsync(gateway, settings, "--message-id", after.MessageId));
        // The batch in hand when it went away was kept and written; what did not fit in the queue is the counted gap.
        Assert.Contains("\tinbox\t", await TrackAsync(gateway, settings, "--message-id", duringIds[0]));
        var tracked = await TrackAsync(gateway, settings, "--from", "during@sender.test", "--limit", "100");
        var lines = tracked.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("\tinbox\t"));
        output.WriteLine($"during the outage: {during} sent, {lines} tracked, {dropped.Groups[1].Value} dropped (at the first scrape)");
        Assert.InRange(lines, 1, during - 1);
    }

    [Fact]
    public async Task A_corrupt_sqlite_file_at_start_is_set_aside_mail_is_served_and_the_archive_index_is_rebuilt_from_the_files()
    {
        var root = Path.Combine(Path.GetTempPath(), "mailgw-test-" + Guid.NewGuid().ToString("N")[..12]);
        string archivedId;
        // Not disposed: that would delete the storage root the second gateway starts on.
        var first = new GatewayProcess(storageRoot: root);
        try
        {
            await first.StartAsync();
            var archived = await SendAsync(first, "old@sender.test", "archived before", "free money");
            archivedId = Regex.Match(archived.Text, "[0-9a-f]{32}").Value;
            Assert.Single(first.ArchivedMessages());
            Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await first.KillAsync();
        }

        var database = Path.Combine(root, "tracking.db");
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(database, garbage);
        File.Delete(database + "-wal");
        File.Delete(database + "-shm");

        await using var gateway = new GatewayProcess(storageRoot: root);
        await gateway.StartAsync();
        var sent = await SendAsync(gateway, "new@sender.test", "after", "project phoenix");
        Assert.Equal(250, sent.Code);
        Assert.Single(gateway.Messages("track@example.org"));
        Assert.True(await gateway.WaitForOutputAsync("is damaged"), gateway.Output);
        Assert.Contains("a new one is created", gateway.Output);
        Assert.Single(Directory.GetFiles(root, "tracking.db.corrupt-*"));
        Assert.Contains("\tinbox\t", await TrackAsync(gateway, new Dictionary<string, string>(), "--message-id", sent.MessageId));

        // The archive page lists from the rebuilt index: the message archived before the damage is there.
        var page = await Http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/archive");
        Assert.Contains(archivedId, page);
        Assert.Contains("archived before", page);
    }

    [Fact]
    public async Task Retention_deletes_tracking_records_older_than_retention_days_at_start()
    {
        var root = Path.Combine(Path.GetTempPath(), "mailgw-test-" + Guid.NewGuid().ToString("N")[..12]);
        var store = new SqlTrackingStore(new SqliteDialect($"Data Source={Path.Combine(root, "tracking.db")}"),
            NullLogger<SqlTrackingStore>.Instance);
        var now = DateTimeOffset.UtcNow;
        await store.ApplyAsync(
        [
            new MessageTracked(TrackingStoreFixture.Message(TrackingStoreFixture.Id(1), now.AddDays(-10), headerId: "old@sender.test"), []),
            new MessageTracked(TrackingStoreFixture.Message(TrackingStoreFixture.Id(2), now.AddDays(-2), headerId: "recent@sender.test"), []),
        ], CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var gateway = new GatewayProcess(new Dictionary<string, string> { ["Tracking:RetentionDays"] = "7" }, root);
        await gateway.StartAsync();
        Assert.True(await gateway.WaitForOutputAsync("Tracking retention: 1 messages older than 7 days deleted"), gateway.Output);
        var settings = new Dictionary<string, string>();
        Assert.Contains("recent@sender.test", await TrackAsync(gateway, settings, "--message-id", "recent@sender.test"));
        var (code, text) = await CliAsync(gateway, settings, "track", "--message-id", "old@sender.test");
        Assert.Equal(1, code);
        Assert.Contains("0 of 0 message(s)", text);
    }

    [Fact]
    public async Task Relay_replies_a_release_and_a_mark_are_events_on_the_message()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await downstream.StopAsync();
        await using var relay = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            ["Recipients:Verify"] = "None",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            ["Relay:RetrySchedule:0"] = "00:00:01",
        });
        var relayed = await SendAsync(relay, "relay@sender.test", "relayed", "project phoenix via the queue");
        Assert.Equal(250, relayed.Code);
        Assert.True(await relay.WaitForOutputAsync("Deferred", TimeSpan.FromSeconds(30)), relay.Output);
        await downstream.StartAgainAsync();
        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, TimeSpan.FromSeconds(30)), relay.Output);
        var none = new Dictionary<string, string>();
        var detail = "";
        for (var i = 0; i < 20 && !detail.Contains(" relayed "); i++)
        {
            await Task.Delay(500);
            detail = await TrackAsync(relay, none, "--message-id", relayed.MessageId, "--detail");
        }

        Assert.Matches(@"  event \S+ \S+ deferred track@example\.org via 127\.0\.0\.1:\d+: ", detail);
        Assert.Matches(@"  event \S+ \S+ relayed track@example\.org via 127\.0\.0\.1:\d+: 2\.\d\.\d ", detail);

        await using var gateway = await GatewayProcess.StartAsync();
        var archived = await SendAsync(gateway, "rel@sender.test", "release me", "free money");
        var id = Regex.Match(archived.Text, "[0-9a-f]{32}").Value;
        var (code, text) = await CliAsync(gateway, none, "archive", "release", id);
        Assert.True(code == 0, text);
        var events = await TrackAsync(gateway, none, "--message-id", id, "--detail");
        Assert.Matches(@"  event \S+ \S+ released to track@example\.org ", events);
        Assert.Matches(@"  event \S+ \S+ marked-ham by release: ", events);
    }

    private static string Thresholds(int junk, int archive, int reject) =>
        $$"""{ "Scl": { "JunkThreshold": {{junk}}, "ArchiveThreshold": {{archive}}, "RejectThreshold": {{reject}} } }""";

    private static async Task<(int Code, string Text, string MessageId)> SendAsync(GatewayProcess gateway, string from,
        string subject, string body)
    {
        var message = TestMail.Text("track@example.org", subject, body, from);
        message.MessageId = MimeUtils.GenerateMessageId("sender.test");
        var (code, text) = await TestMail.SendAsync(gateway.SmtpPort, message);
        return (code, text, message.MessageId);
    }

    /// <summary>Runs `mailgw track` until it finds something (the writer is asynchronous); returns its output.</summary>
    private static async Task<string> TrackAsync(GatewayProcess gateway, IDictionary<string, string> settings,
        params string[] args) => await TrackAsync(gateway, settings, 20, args);

    private static async Task<string> TrackAsync(GatewayProcess gateway, IDictionary<string, string> settings,
        int timeoutSeconds, params string[] args)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var (code, text) = await CliAsync(gateway, settings, ["track", .. args]);
            if (code == 0 || DateTime.UtcNow > deadline)
            {
                Assert.True(code == 0, $"mailgw track {string.Join(' ', args)}: exit {code}\n{text}\n{gateway.Output}");
                return text;
            }

            await Task.Delay(500);
        }
    }

    private static Task<(int ExitCode, string Output)> CliAsync(GatewayProcess gateway, IDictionary<string, string> settings,
        params string[] args) =>
        ExternalTool.RunAsync("dotnet", [RepoPaths.GatewayDll, .. args, $"--Storage:Root={gateway.StorageRoot}",
            .. settings.Where(s => s.Key.StartsWith("Tracking:", StringComparison.Ordinal)).Select(s => $"--{s.Key}={s.Value}")]);
}
