using MailGateway.Gateway.Tests.Infrastructure;
using MailGateway.Gateway.Tracking;
using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The tracking search and message pages and the dashboard, in Debian's Chromium against one gateway.</summary>
public class TrackingConsoleTests(ChromiumBrowser chromium, ConsoleGateway console)
    : IClassFixture<ChromiumBrowser>, IClassFixture<ConsoleGateway>
{
    [Fact]
    public async Task Tracking_search_finds_a_message_sent_in_the_test_by_its_message_id_and_shows_each_filter()
    {
        var messageId = $"{Guid.NewGuid():N}@tracking.test";
        var message = TestMail.Text($"track-{Guid.NewGuid():N}"[..14] + "@example.org", "tracking me", "free money, tracked");
        message.MessageId = messageId;
        await console.SendAsync(message);
        await using var database = new TrackingDatabase(console.Gateway.StorageRoot);
        var stored = await database.WaitForAsync(new TrackingQuery { MessageId = messageId });

        await using var watched = await chromium.OpenAsync(console.Origin);
        var page = watched.Page;
        await page.GotoAsync($"{console.Origin}/tracking");
        await page.GetByLabel("Message-ID").FillAsync($"<{messageId}>");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search" }).ClickAsync();
        var row = page.Locator("table.results tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(messageId);
        await Assertions.Expect(row).ToContainTextAsync("archive");
        await ConsoleGateway.ScreenshotAsync(page, "tracking-search");
        await row.Locator("a").ClickAsync();

        await Assertions.Expect(page.Locator("table.message")).ToContainTextAsync(stored.Id);
        var filters = page.Locator("table.filters tbody tr");
        var detail = await database.Store.GetAsync(stored.Id, CancellationToken.None);
        Assert.NotNull(detail);
        Assert.NotEmpty(detail.Filters);
        await Assertions.Expect(filters).ToHaveCountAsync(detail.Filters.Count);
        foreach (var filter in detail.Filters)
        {
            var line = page.Locator($"table.filters tr[data-filter=\"{filter.Filter}\"]");
            await Assertions.Expect(line).ToContainTextAsync(filter.Outcome);
            await Assertions.Expect(line).ToContainTextAsync($"{filter.ElapsedMicroseconds} µs");
        }

        await Assertions.Expect(page.Locator("table.filters tr[data-filter=Keywords]")).ToContainTextAsync("bad phrase \"free money\"");
        await Assertions.Expect(page.Locator("table.events")).ToContainTextAsync("received");
        await ConsoleGateway.ScreenshotAsync(page, "tracking-message");
        Assert.Empty(watched.ForeignRequests);
    }

    [Fact]
    public async Task The_dashboard_draws_the_store_counts_the_scl_histogram_and_each_filters_latency()
    {
        var marker = Guid.NewGuid().ToString("N");
        await console.SendAsync(TestMail.Text($"dash-{marker}"[..14] + "@example.org", "dash ham", "notes on project phoenix " + marker));
        await console.SendAsync(TestMail.Text($"dash-{marker}"[..14] + "@example.org", "dash spam", "free money " + marker));
        await using var database = new TrackingDatabase(console.Gateway.StorageRoot);
        await database.WaitForAsync(new TrackingQuery { Recipient = $"dash-{marker}"[..14] + "@example.org", Disposition = "archive" });
        await database.WaitForAsync(new TrackingQuery { Recipient = $"dash-{marker}"[..14] + "@example.org", Disposition = "inbox" });

        await using var watched = await chromium.OpenAsync(console.Origin);
        var page = watched.Page;
        await page.GotoAsync($"{console.Origin}/?minutes=60&days=1");
        var now = DateTimeOffset.UtcNow;
        var counts = await database.Store.CountsPerMinuteAsync(now.AddMinutes(-70), now.AddMinutes(1), CancellationToken.None);
        var archived = counts.Where(c => c.Disposition == "archive").Sum(c => c.Count);
        Assert.True(archived >= 1);
        await Assertions.Expect(page.Locator("p.totals span[data-disposition=archive]")).ToHaveTextAsync($"archive: {archived}");
        var histogram = await database.Store.SclHistogramAsync(1, CancellationToken.None);
        var at9 = histogram.Single(b => b.Score == 9).Messages;
        await Assertions.Expect(page.Locator("svg[aria-label='SCL histogram'] rect[data-column='9'][data-series=archive]"))
            .ToHaveAttributeAsync("data-value", at9.ToString());
        await Assertions.Expect(page.Locator("table.latency")).ToContainTextAsync("Keywords");
        await Assertions.Expect(page.Locator("td.relay-queue")).ToHaveTextAsync("0");
        Assert.Equal("30", await page.Locator("meta[http-equiv=refresh]").GetAttributeAsync("content"));
        await Assertions.Expect(page.Locator("b.viruses-window")).ToHaveTextAsync(
            counts.Where(c => c.Disposition == "virus-archive").Sum(c => c.Count).ToString());
        await ConsoleGateway.ScreenshotAsync(page, "dashboard");
        Assert.Empty(watched.ForeignRequests);
        // The inline SVG and its styles live within the console's policy: the browser reported no violation.
        Assert.DoesNotContain(watched.Console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
