using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

public class AdminTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Metrics_count_sessions_replies_routes_and_filter_latency_in_prometheus_format()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        // The fixture keyword list's good phrase keeps this one in the inbox whatever the model makes of a two-word mail.
        await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("metrics@example.org", "hello", "plain ham about project phoenix"));
        await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("metrics@example.org", "offer", "free money"));

        string text = "";
        for (var i = 0; i < 20 && !text.Contains("route=\"archive\""); i++)
        {
            await Task.Delay(500);
            text = await Http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/metrics");
        }

        Assert.Matches(@"mailgateway_smtp_sessions_total\{[^}]*\} [2-9]", text);
        Assert.Matches(@"mailgateway_smtp_replies_total\{[^}]*code=""250""[^}]*\} \d+", text);
        Assert.Matches(@"mailgateway_messages_total\{[^}]*route=""archive""[^}]*\} 1", text);
        Assert.Matches(@"mailgateway_messages_total\{[^}]*route=""inbox""[^}]*\} 1", text);
        Assert.Contains("mailgateway_filter_duration_milliseconds_bucket{", text);
        Assert.Contains("filter=\"Keywords\"", text);
        Assert.Contains("mailgateway_scl_bucket", text);
        Assert.Matches(@"mailgateway_storage_sync_duration_seconds_count\{[^}]*kind=""syncfs""[^}]*\} [1-9]", text);
        Assert.Matches(@"mailgateway_storage_sync_requests_count\{[^}]*kind=""syncfs""[^}]*\} [1-9]", text);
    }

    [Fact]
    public async Task Readyz_says_which_check_failed_and_healthz_still_answers()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Antivirus:Enabled"] = "true",
            ["Antivirus:Port"] = FreePort.Next().ToString(),
        });
        var ready = await Http.GetAsync($"http://127.0.0.1:{gateway.AdminPort}/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("checks").GetProperty("clamd").GetProperty("ok").GetBoolean());
        Assert.True(json.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"http://127.0.0.1:{gateway.AdminPort}/healthz")).StatusCode);
    }

    [Fact]
    public async Task An_admin_port_off_loopback_needs_a_token_and_then_every_request_must_carry_it()
    {
        var port = FreePort.Next();
        var (code, output) = await GatewayProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["Admin:Url"] = $"http://0.0.0.0:{port}",
            ["Storage:Root"] = Path.Combine(Path.GetTempPath(), "mailgw-admin-" + Guid.NewGuid().ToString("N")[..8]),
            ["Antivirus:Enabled"] = "false",
            ["Smtp:Port"] = FreePort.Next().ToString(),
        });
        Assert.Equal(1, code);
        Assert.Contains("mailgw: configuration error: Admin:Token: required", output);

        const string token = "0123456789abcdef-secret";
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Admin:Url"] = $"http://0.0.0.0:{port}",
            ["Admin:Token"] = token,
        });
        var url = $"http://127.0.0.1:{port}/metrics";
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.GetAsync(url)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(request)).StatusCode);
    }
}
