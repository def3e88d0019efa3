using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The dashboard's relay queue: the same figure as /metrics, and a queue read back at start is counted.</summary>
public class DashboardRelayTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task The_relay_queue_on_the_dashboard_counts_a_deferred_message_before_and_after_a_restart()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        downstream.TempFail("later@example.org");
        var root = Path.Combine(Path.GetTempPath(), "mailgw-dashrelay-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            ["Recipients:Verify"] = "None",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            ["Relay:RetrySchedule:0"] = "01:00:00",
        };
        await using var first = new GatewayProcess(settings, root);
        await first.StartAsync();
        Assert.Equal(250, (await TestMail.SendAsync(first.SmtpPort, TestMail.Text("later@example.org", "queued", "project phoenix"))).Code);
        Assert.Equal(250, (await TestMail.SendAsync(first.SmtpPort, TestMail.Text("now@example.org", "relayed", "project phoenix"))).Code);

        Assert.Equal(1, await RelayQueueAsync(first, expected: 1));
        Assert.Matches(@"mailgateway_relay_queue_length(\{[^}]*\})? 1\b", await Http.GetStringAsync($"http://127.0.0.1:{first.AdminPort}/metrics"));
        await first.KillAsync();

        await using var second = new GatewayProcess(settings, root);
        await second.StartAsync();
        Assert.Equal(1, await RelayQueueAsync(second, expected: 1));
    }

    private static async Task<int> RelayQueueAsync(GatewayProcess gateway, int expected)
    {
        var value = -1;
        for (var i = 0; i < 100 && value != expected; i++)
        {
            var page = await Http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/");
            var match = System.Text.RegularExpressions.Regex.Match(page, "<td class=relay-queue>(-?\\d+)</td>");
            Assert.True(match.Success, page);
            value = int.Parse(match.Groups[1].Value);
            await Task.Delay(100);
        }

        return value;
    }
}
