using MailGateway.Gateway.Tests.Infrastructure;
using MailGateway.Gateway.Tracking;
using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// Threshold tuning on its own gateway (it rewrites the thresholds): the page's counts are the tracking store's, and
/// thresholds applied on the page decide where the next message goes.
/// </summary>
public class ThresholdTuningTests(ChromiumBrowser chromium, ConsoleGateway console)
    : IClassFixture<ChromiumBrowser>, IClassFixture<ConsoleGateway>
{
    [Fact]
    public async Task The_tuning_counts_equal_the_stores_and_a_threshold_applied_on_the_page_moves_the_next_message()
    {
        var to = $"tune-{Guid.NewGuid():N}"[..14] + "@example.org";
        await console.SendAsync(TestMail.Text(to, "spam one", "free money now"));
        await console.SendAsync(TestMail.Text(to, "spam two", "claim your prize"));
        await console.SendAsync(TestMail.Text(to, "ham", "minutes of project phoenix"));
        var released = await console.ArchivedIdAsync("claim your prize");
        using (var pages = new AdminPages(console.Gateway.AdminPort))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, (await pages.PostAsync(released, released, "release")).StatusCode);
        }

        await using var database = new TrackingDatabase(console.Gateway.StorageRoot);
        await database.WaitForAsync(new TrackingQuery { Recipient = to, Disposition = "inbox" });
        await WaitForReleaseAsync(database.Store, 9);
        var histogram = await database.Store.SclHistogramAsync(7, CancellationToken.None);

        await using var watched = await chromium.OpenAsync(console.Origin);
        var page = watched.Page;
        await page.GotoAsync($"{console.Origin}/thresholds?days=7&junk=4&archive=10&bulk=7");
        foreach (var score in Enumerable.Range(-1, 11))
        {
            var bucket = histogram.FirstOrDefault(b => b.Score == score);
            var row = page.Locator($"table.histogram.scl tr[data-score='{score}']");
            await Assertions.Expect(row.Locator("td.messages")).ToHaveTextAsync((bucket?.Messages ?? 0).ToString());
            await Assertions.Expect(row.Locator("td.ham")).ToHaveTextAsync((bucket?.ReleasedAsHam ?? 0).ToString());
            await Assertions.Expect(row.Locator("td.spam")).ToHaveTextAsync((bucket?.MarkedAsSpam ?? 0).ToString());
        }

        Assert.Equal(1, histogram.Single(b => b.Score == 9).ReleasedAsHam);
        // Archive off: every message the store saw at SCL 7..9 would have gone to junk instead.
        var moved = histogram.Where(b => b.Score is >= 7 and <= 9).Sum(b => b.Messages);
        await Assertions.Expect(page.Locator("table.moves tr[data-from=archive][data-to=junk] td.moved")).ToHaveTextAsync(moved.ToString());
        await Assertions.Expect(page.Locator("table.moves tbody tr")).ToHaveCountAsync(1);
        await ConsoleGateway.ScreenshotAsync(page, "thresholds");
        Assert.DoesNotContain(watched.Console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply junk 4, archive 10, bulk 7" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("written to");
        await Assertions.Expect(page.Locator("b.current")).ToHaveTextAsync("junk>=4 archive>=10 reject>=10 bulk>=7");
        // The gateway's own reload, not the page's log line about the write.
        Assert.True(await console.Gateway.WaitForOutputAsync("SCL thresholds changed from junk>=4 archive>=7 reject>=10 bulk>=7 to junk>=4 archive>=10",
            TimeSpan.FromSeconds(10)), console.Gateway.Output);

        var next = $"tune-next-{Guid.NewGuid():N}"[..18] + "@example.org";
        await console.SendAsync(TestMail.Text(next, "after tuning", "free money again"));
        Assert.Single(console.Gateway.Messages(next, ".Junk"));
        Assert.DoesNotContain(console.Gateway.ArchivedMessages(), f => File.ReadAllText(f).Contains(next, StringComparison.OrdinalIgnoreCase));

        // A hand edit is what the page shows next.
        await File.WriteAllTextAsync(console.ThresholdsPath, "{ \"Scl\": { \"JunkThreshold\": 5, \"ArchiveThreshold\": 8 } }");
        await page.GotoAsync($"{console.Origin}/thresholds");
        await Assertions.Expect(page.Locator("b.current")).ToHaveTextAsync("junk>=5 archive>=8 reject>=10 bulk>=7");
        Assert.Empty(watched.ForeignRequests);
    }

    private static async Task WaitForReleaseAsync(ITrackingStore store, int scl)
    {
        for (var i = 0; i < 150; i++)
        {
            var histogram = await store.SclHistogramAsync(7, CancellationToken.None);
            if (histogram.Any(b => b.Score == scl && b.ReleasedAsHam > 0))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the release never reached the tracking store");
    }
}
