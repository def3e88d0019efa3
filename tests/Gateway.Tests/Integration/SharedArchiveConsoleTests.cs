using MailGateway.Gateway.Tests.Infrastructure;
using MailGateway.Gateway.Tracking;
using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>Two gateways writing to one PostgreSQL: either console shows one archive and one tracking view.</summary>
public class SharedArchiveConsoleTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task Two_gateways_against_one_postgresql_show_one_archive()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var marker = Guid.NewGuid().ToString("N")[..12];
        await using var a = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Tracking:ConnectionString"] = database,
            ["Tracking:NodeName"] = "gw-a",
        });
        await using var b = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Tracking:ConnectionString"] = database,
            ["Tracking:NodeName"] = "gw-b",
        });
        foreach (var (gateway, name) in new[] { (a, "gw-a"), (b, "gw-b") })
        {
            var (code, text) = await TestMail.SendAsync(gateway.SmtpPort,
                TestMail.Text($"shared-{name}@example.org", $"shared {marker} via {name}", "free money " + marker));
            Assert.True(code == 250, text);
        }

        var onB = Path.GetFileNameWithoutExtension(Assert.Single(b.ArchivedMessages()));
        var origin = $"http://127.0.0.1:{a.AdminPort}";
        await using var watched = await chromium.OpenAsync(origin);
        var page = watched.Page;
        var rows = page.Locator("tbody tr");
        for (var i = 0; i < 50 && await rows.CountAsync() < 2; i++)
        {
            await page.GotoAsync($"{origin}/archive?q={marker}");
            await Task.Delay(200);
        }

        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("tr", new PageLocatorOptions { HasText = "via gw-a" })).ToContainTextAsync("gw-a");
        await Assertions.Expect(page.Locator("tr", new PageLocatorOptions { HasText = "via gw-b" })).ToContainTextAsync("gw-b");
        await ConsoleGateway.ScreenshotAsync(page, "archive-shared");

        Assert.Equal(404, (await page.GotoAsync($"{origin}/archive/{onB}"))!.Status);
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync($"message {onB} is archived on gateway gw-b");
        await page.GotoAsync($"{origin}/tracking?recipient=shared-gw-b@example.org");
        await Assertions.Expect(page.Locator("table.results tbody tr")).ToContainTextAsync("gw-b");
        Assert.Empty(watched.ForeignRequests);
    }
}
