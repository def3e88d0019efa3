using System.Globalization;
using System.Text.RegularExpressions;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The relay's instruments (meter <c>MailGateway.Relay</c>) as Prometheus shows them on the admin port.</summary>
public class RelayMetricsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The sum of a metric's samples over its label sets; null when it is not exported (yet).</summary>
    private static double? Sample(string metrics, string name)
    {
        var values = Regex.Matches(metrics, $@"^{Regex.Escape(name)}(?:\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 0 ? null : values.Sum();
    }

    [Fact]
    public async Task Relayed_deferred_bounced_queue_length_and_latency_count_what_happened()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        downstream.TempFail("deferred@example.org");
        downstream.Reject("bounced@example.org");
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
            ["Recipients:Verify"] = "None",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            // One attempt for the deferred message during the test.
            ["Relay:RetrySchedule:0"] = "01:00:00",
        });
        foreach (var to in new[] { "delivered@example.org", "deferred@example.org", "bounced@example.org" })
        {
            Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "metrics", to))).Code);
        }

        // Relayed: the delivered message and the DSN for the bounced one (to sender@sender.test via the smart host).
        var expected = new Dictionary<string, double>
        {
            ["mailgateway_relay_messages_relayed_total"] = 2,
            ["mailgateway_relay_messages_deferred_total"] = 1,
            ["mailgateway_relay_messages_bounced_total"] = 1,
            ["mailgateway_relay_queue_length"] = 1,
            ["mailgateway_relay_delivery_latency_seconds_count"] = 2,
        };
        var metrics = "";
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline && !expected.All(e => Sample(metrics, e.Key) == e.Value))
        {
            await Task.Delay(200);
            metrics = await Http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/metrics");
        }

        var relayLines = string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("mailgateway_relay_", StringComparison.Ordinal)));
        foreach (var (name, value) in expected)
        {
            Assert.True(Sample(metrics, name) == value, $"{name} should be {value}:\n{relayLines}\n{gateway.Output}");
        }

        Assert.True(Sample(metrics, "mailgateway_relay_delivery_latency_seconds_sum") > 0, relayLines);
        Assert.Single(downstream.MessagesFor("delivered@example.org"));
        Assert.Single(downstream.MessagesFor("sender@sender.test"));
        Assert.Single(QueueFolder.States(gateway));
    }
}
