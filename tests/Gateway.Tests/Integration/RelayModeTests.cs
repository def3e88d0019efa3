using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// <c>Delivery:Mode=Relay</c> against a real downstream SMTP server (aiosmtpd, recording every message): the queue,
/// retries, bounces and crash recovery, end to end through real processes.
/// </summary>
public class RelayModeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string QueueEnvelopeField = "X-MailGateway-Queue:";

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..16] + "@example.org";

    private static Dictionary<string, string> RelaySettings(DownstreamSmtp downstream, string retry = "00:00:01") => new()
    {
        ["Delivery:Mode"] = "Relay",
        // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
        ["Recipients:Verify"] = "None",
        ["Relay:SmartHost"] = downstream.HostPort,
        ["Relay:Tls"] = "None",
        ["Relay:MaxConnections"] = "2",
        ["Relay:RetrySchedule:0"] = retry,
    };

    private static string[] QueueFiles(GatewayProcess gateway, string pattern) => QueueFolder.Files(gateway, pattern);

    private static Task<bool> QueueEmptiesAsync(GatewayProcess gateway) => QueueFolder.WaitUntilEmptyAsync(gateway, Wait);

    private static async Task SendRawAsync(GatewayProcess gateway, string from, string body, params string[] to)
    {
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync(from, to);
        var stuffed = string.Join("\r\n", body.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l));
        await client.SendAsync(Encoding.UTF8.GetBytes(stuffed + ".\r\n"));
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
    }

    /// <summary>The header lines above our Received header: the ones the gateway added.</summary>
    private static List<string> AddedHeaderLines(string text) =>
        text[..text.IndexOf("Received: from ", StringComparison.Ordinal)]
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();

    [Fact]
    public async Task Relay_delivers_the_message_byte_exact_with_our_headers_added_and_empties_the_queue()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(RelaySettings(downstream));
        var to = Unique("exact");
        var body = "From: a@sender.test\r\nTo: " + to + "\r\nSubject: Project Phoenix, relayed exactly\r\n\r\n.starts with a dot\r\n" +
                   "caf\u00e9 8-bit\r\n\tTab line\r\n \r\n.\r\nlast line\r\n";
        await SendRawAsync(gateway, "a@sender.test", body, to);

        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        var received = Assert.Single(downstream.Messages());
        Assert.Equal("a@sender.test", received.From);
        Assert.Equal([to], received.To);
        Assert.Equal(Encoding.UTF8.GetBytes(body), StoredMessage.WithoutOurReceived(received.Path));
        // The queue file's envelope line stays behind: the next hop gets the message from its first header on.
        Assert.DoesNotContain(QueueEnvelopeField, received.Text);
        var added = AddedHeaderLines(received.Text);
        Assert.Contains("X-MailGateway-SCL: 0", added);
        Assert.Contains("X-Spam-Flag: NO", added);
        Assert.Contains("X-MS-Exchange-Organization-SCL: 0", added);
        Assert.Contains(added, l => l.StartsWith("X-MailGateway-Trace: ", StringComparison.Ordinal));
        Assert.Contains(added, l => l.StartsWith("Authentication-Results: gw.test; spf=", StringComparison.Ordinal));
        Assert.All(added, l => Assert.Matches(
            "^(X-MailGateway-|X-Spam-Flag: |X-MS-Exchange-Organization-SCL: |Authentication-Results: gw.test; )", l));
        Assert.True(await QueueEmptiesAsync(gateway));
        Assert.Empty(gateway.AllStoredMessages());
    }

    [Fact]
    public async Task Junk_route_is_relayed_marked_with_spam_flag_and_exchange_scl()
    {
        var thresholds = Path.Combine(Path.GetTempPath(), $"thresholds-{Guid.NewGuid():N}.json");
        // A bad keyword gives SCL 9: junk, not archive, with these thresholds.
        await File.WriteAllTextAsync(thresholds, """{ "Scl": { "JunkThreshold": 4, "ArchiveThreshold": 10, "RejectThreshold": 10 } }""");
        try
        {
            await using var downstream = await DownstreamSmtp.StartAsync();
            var settings = RelaySettings(downstream);
            settings["Scl:ThresholdsFile"] = thresholds;
            await using var gateway = await GatewayProcess.StartAsync(settings);
            var to = Unique("junk");
            Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "a junk one", "get free money"))).Code);

            Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
            var added = AddedHeaderLines(Assert.Single(downstream.MessagesFor(to)).Text);
            Assert.Contains("X-Spam-Flag: YES", added);
            Assert.DoesNotContain("X-Spam-Flag: NO", added);
            Assert.Contains("X-MailGateway-SCL: 9", added);
            Assert.Contains("X-MS-Exchange-Organization-SCL: 9", added);
            Assert.Empty(gateway.AllStoredMessages());
        }
        finally
        {
            File.Delete(thresholds);
        }
    }

    [Fact]
    public async Task With_the_downstream_stopped_the_message_waits_in_the_queue_and_arrives_once_it_is_back()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await downstream.StopAsync();
        await using var gateway = await GatewayProcess.StartAsync(RelaySettings(downstream));
        var to = Unique("waits");
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "patience", "wait for me"))).Code);

        Assert.True(await gateway.WaitForOutputAsync("Deferred", Wait), gateway.Output);
        await Task.Delay(1500);
        Assert.Single(QueueFiles(gateway, "*.json"));
        Assert.Single(QueueFiles(gateway, "*.eml"));

        await downstream.StartAgainAsync();
        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        Assert.True(await QueueEmptiesAsync(gateway));
        await Task.Delay(1500);
        Assert.Single(downstream.MessagesFor(to));
    }

    [Fact]
    public async Task A_550_for_one_of_two_recipients_delivers_the_other_and_returns_one_dsn_naming_the_failed_one()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        var good = Unique("good");
        var bad = Unique("bad");
        downstream.Reject(bad);
        // Routes only, no smart host: the recipients' domain and the sender's domain both lead to the downstream.
        var settings = new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
            ["Recipients:Verify"] = "None",
            ["Relay:Routes:example.org"] = downstream.HostPort,
            ["Relay:Routes:sender.test"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            ["Relay:RetrySchedule:0"] = "00:00:01",
        };
        await using var gateway = await GatewayProcess.StartAsync(settings);
        var message = TestMail.Text(good, "two recipients", "one of them does not exist");
        message.To.Add(MailboxAddress.Parse(bad));
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, message)).Code);

        Assert.True(await downstream.WaitForAsync(m => m.Count == 2, Wait), gateway.Output);
        Assert.True(await QueueEmptiesAsync(gateway));
        await Task.Delay(1500);
        var delivered = Assert.Single(downstream.MessagesFor(good));
        Assert.Equal([good], delivered.To);
        Assert.Empty(downstream.MessagesFor(bad));

        var dsn = Assert.Single(downstream.MessagesFor("sender@sender.test"));
        Assert.Equal("<>", dsn.From);
        using var parsed = MimeMessage.Load(dsn.Path);
        var report = Assert.IsType<MultipartReport>(parsed.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.Single(report.OfType<MessageDeliveryStatus>());
        // One per-message group, then one group per failed recipient: the bad one only.
        var groups = status.StatusGroups.Where(g => g.Count > 0).ToList();
        Assert.True(groups.Count == 2, dsn.Text);
        var recipientGroup = groups[1];
        Assert.Equal($"rfc822; {bad}", recipientGroup["Final-Recipient"]);
        Assert.Equal("failed", recipientGroup["Action"]);
        Assert.Equal("5.1.1", recipientGroup["Status"]);
        Assert.Contains("550", recipientGroup["Diagnostic-Code"]);
        Assert.DoesNotContain(good, report.OfType<TextPart>().Single(p => p.IsPlain).Text);
        Assert.Contains(report, p => p.ContentType.IsMimeType("text", "rfc822-headers"));
        Assert.Contains("Subject: two recipients", dsn.Text);
        Assert.DoesNotContain(QueueEnvelopeField, dsn.Text);
    }

    [Fact]
    public async Task A_message_from_the_null_sender_is_not_bounced()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        var bad = Unique("nobody");
        downstream.Reject(bad);
        await using var gateway = await GatewayProcess.StartAsync(RelaySettings(downstream));
        await SendRawAsync(gateway, "", "Subject: a bounce\r\n\r\nbounced\r\n", bad);

        Assert.True(await gateway.WaitForOutputAsync("is not bounced", Wait), gateway.Output);
        Assert.True(await QueueEmptiesAsync(gateway));
        await Task.Delay(1500);
        Assert.Empty(downstream.Messages());
    }

    [Fact]
    public async Task Messages_in_the_queue_at_kill_9_are_delivered_once_after_the_restart()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await downstream.StopAsync();
        var settings = RelaySettings(downstream);
        var first = await GatewayProcess.StartAsync(settings);
        var recipients = Enumerable.Range(0, 5).Select(i => Unique($"crash{i}")).ToList();
        foreach (var to in recipients)
        {
            Assert.Equal(250, (await TestMail.SendAsync(first.SmtpPort, TestMail.Text(to, "survives kill -9", to))).Code);
        }

        Assert.Equal(5, QueueFiles(first, "*.eml").Length);
        await first.KillAsync();

        await downstream.StartAgainAsync();
        await using var second = new GatewayProcess(settings, first.StorageRoot);
        await second.StartAsync();
        Assert.True(await downstream.WaitForAsync(m => m.Count == 5, Wait), second.Output);
        Assert.True(await QueueEmptiesAsync(second));
        await Task.Delay(1500);
        foreach (var to in recipients)
        {
            var received = Assert.Single(downstream.MessagesFor(to));
            Assert.Contains("Subject: survives kill -9", received.Text);
        }

        Assert.Contains("5 messages to resume", second.Output);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task Many_messages_over_parallel_clients_are_each_delivered_exactly_once()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        var settings = RelaySettings(downstream);
        settings["Relay:MaxConnections"] = "4";
        await using var gateway = await GatewayProcess.StartAsync(settings);
        const int clients = 4, perClient = 10;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                await SendRawAsync(gateway, "bulk@sender.test", $"Subject: bulk {c}-{i}\r\n\r\nbody {c}-{i}\r\n",
                    $"a{c}x{i}@example.org", $"b{c}x{i}@example.org");
            }
        })));

        Assert.True(await downstream.WaitForAsync(m => m.Count == clients * perClient, Wait), gateway.Output);
        Assert.True(await QueueEmptiesAsync(gateway));
        await Task.Delay(2000);
        var messages = downstream.Messages();
        Assert.Equal(clients * perClient, messages.Count);
        for (var c = 0; c < clients; c++)
        {
            for (var i = 0; i < perClient; i++)
            {
                var m = Assert.Single(messages, m => m.Text.Contains($"Subject: bulk {c}-{i}\r\n"));
                Assert.Equal([$"a{c}x{i}@example.org", $"b{c}x{i}@example.org"], m.To);
            }
        }
    }

    [Fact]
    public async Task Queue_list_delete_and_flush_work_on_the_running_gateways_queue()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await downstream.StopAsync();
        await using var gateway = await GatewayProcess.StartAsync(RelaySettings(downstream, retry: "01:00:00"));
        var keep = Unique("keep");
        var drop = Unique("drop");
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(keep, "keep me", "k"))).Code);
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(drop, "drop me", "d"))).Code);
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline && CountOf(gateway.Output, "Deferred") < 2)
        {
            await Task.Delay(100);
        }

        var root = $"--Storage:Root={gateway.StorageRoot}";
        var (code, list) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "queue", "list", root);
        Assert.Equal(0, code);
        Assert.Contains("2 messages, 2 recipients", list);
        var dropLine = Assert.Single(list.Split('\n'), l => l.Contains(drop, StringComparison.Ordinal));
        Assert.Contains("\t1\t", dropLine);
        var dropId = dropLine.Split('\t')[0];

        (code, var deleted) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "queue", "delete", dropId, root);
        Assert.True(code == 0, deleted);
        (code, list) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "queue", "list", root);
        Assert.Contains("1 messages, 1 recipients", list);
        Assert.DoesNotContain(drop, list);

        await downstream.StartAgainAsync();
        await Task.Delay(1500);
        Assert.Empty(downstream.Messages());
        (code, var flushed) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "queue", "flush", root);
        Assert.True(code == 0, flushed);
        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        Assert.True(await QueueEmptiesAsync(gateway));
        Assert.Single(downstream.MessagesFor(keep));
        Assert.Empty(downstream.MessagesFor(drop));
    }

    [Fact]
    public async Task Relay_mode_without_a_smart_host_or_routes_stops_the_start_naming_the_key()
    {
        var (code, output) = await GatewayProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
            ["Recipients:Verify"] = "None",
            ["Smtp:Port"] = FreePort.Next().ToString(),
            ["Admin:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Storage:Root"] = Path.Combine(Path.GetTempPath(), "mailgw-relaycfg-" + Guid.NewGuid().ToString("N")[..8]),
        });
        Assert.Equal(1, code);
        Assert.Contains("mailgw: configuration error: Relay:SmartHost:", output);
    }

    private static int CountOf(string text, string word) =>
        (text.Length - text.Replace(word, "", StringComparison.Ordinal).Length) / word.Length;
}
