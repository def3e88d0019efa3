using MailGateway.Gateway.Tests.Infrastructure;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// A recipient the next hop defers: retried after each wait of <c>Relay:RetrySchedule</c> (the last one repeating),
/// and given up on after <c>Relay:MaxQueueAge</c> with one DSN to the sender.
/// </summary>
public class RelayRetryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxQueueAge = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Deferred_attempts_follow_the_retry_schedule_and_its_last_wait_repeats()
    {
        const string to = "later@example.org";
        TimeSpan first = TimeSpan.FromSeconds(1), then = TimeSpan.FromSeconds(3);
        await using var downstream = await DownstreamSmtp.StartAsync();
        downstream.TempFail(to);
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
            ["Recipients:Verify"] = "None",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            ["Relay:RetrySchedule:0"] = first.ToString(),
            ["Relay:RetrySchedule:1"] = then.ToString(),
        });
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "retried", "451 three times"))).Code);

        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline && downstream.RcptAttempts(to).Count < 3)
        {
            await Task.Delay(100);
        }

        downstream.TempFail(false);
        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        Assert.True(await QueueFolder.WaitUntilEmptyAsync(gateway, Wait), gateway.Output);
        // At least three deferrals: a test that stalls for longer than the 3 s wait may see a fourth before it lifts
        // the tempfail. One 250, last, either way.
        var attempts = downstream.RcptAttempts(to);
        var codes = attempts.Select(a => a.Code).ToList();
        Assert.True(codes.Count >= 4, string.Join(",", codes));
        Assert.All(codes[..^1], c => Assert.Equal(451, c));
        Assert.Equal(250, codes[^1]);
        // Lower bounds only: a loaded machine makes every wait longer, never shorter. The log has millisecond resolution.
        var slack = TimeSpan.FromMilliseconds(50);
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.True(gaps[0] >= first - slack, $"1st retry after {gaps[0]}");
        Assert.True(gaps[1] >= then - slack, $"2nd retry after {gaps[1]}, not the schedule's second wait");
        Assert.All(gaps.Skip(2), g => Assert.True(g >= then - slack, $"later retry after {g}, the last wait should repeat"));
        Assert.Equal(["later@example.org"], Assert.Single(downstream.Messages()).To);
    }

    [Fact]
    public async Task A_recipient_still_deferred_after_MaxQueueAge_is_bounced_once_with_4_4_7_and_leaves_the_queue()
    {
        const string sender = "sender@sender.test";
        const string to = "expires@example.org";
        await using var downstream = await DownstreamSmtp.StartAsync();
        // The recipient is deferred for ever; the sender's mailbox (same server, via the smart host) accepts the DSN.
        downstream.TempFail(to);
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
            ["Recipients:Verify"] = "None",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            ["Relay:RetrySchedule:0"] = "00:00:01",
            ["Relay:MaxQueueAge"] = MaxQueueAge.ToString(),
        });
        var beforeAcceptance = DateTime.UtcNow;
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "never arrives", "deferred", sender))).Code);

        Assert.True(await downstream.WaitForAsync(m => m.Any(r => r.To.Contains(sender)), Wait), gateway.Output);
        var bouncedAfter = DateTime.UtcNow - beforeAcceptance;
        Assert.True(await QueueFolder.WaitUntilEmptyAsync(gateway, Wait), gateway.Output);

        // Deferred (not bounced) at the first 451, and given up on only once the age was reached.
        Assert.Contains("Deferred", gateway.Output);
        Assert.True(bouncedAfter >= MaxQueueAge, $"bounced {bouncedAfter} after acceptance, before MaxQueueAge\n{gateway.Output}");
        Assert.Empty(downstream.MessagesFor(to));
        var dsn = Assert.Single(downstream.Messages());
        Assert.Equal("<>", dsn.From);
        Assert.Equal([sender], dsn.To);

        using var parsed = MimeMessage.Load(dsn.Path);
        Assert.Equal("MAILER-DAEMON@gw.test", parsed.From.Mailboxes.Single().Address);
        var report = Assert.IsType<MultipartReport>(parsed.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.Single(report.OfType<MessageDeliveryStatus>());
        var groups = status.StatusGroups.Where(g => g.Count > 0).ToList();
        Assert.True(groups.Count == 2, dsn.Text);
        Assert.Equal($"rfc822; {to}", groups[1]["Final-Recipient"]);
        Assert.Equal("failed", groups[1]["Action"]);
        Assert.Equal("4.4.7", groups[1]["Status"]);
        Assert.Contains("451", groups[1]["Diagnostic-Code"]);
        Assert.Contains(to, report.OfType<TextPart>().Single(p => p.IsPlain).Text);
        Assert.Contains("Subject: never arrives", dsn.Text);
    }
}
