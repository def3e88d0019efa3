using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The web archive manager in a real browser: Debian's Chromium driven by Playwright (no browser download).</summary>
public class ArchiveWebTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task The_archive_page_lists_a_message_sent_over_smtp_and_releases_it_to_the_inbox()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var to = $"web-{Guid.NewGuid():N}"[..12] + "@example.org";
        var (code, _) = await TestMail.SendAsync(gateway.SmtpPort,
            TestMail.Text(to, "Claim your prize <b>now</b>", "free money <script>alert(1)</script>"));
        Assert.Equal(250, code);
        Assert.Empty(gateway.Messages(to));

        var page = await chromium.Browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        var externalRequests = 0;
        page.Request += (_, r) => { if (!r.Url.StartsWith($"http://127.0.0.1:{gateway.AdminPort}/")) { externalRequests++; } };

        var row = page.Locator("tr", new PageLocatorOptions { HasText = "Claim your prize <b>now</b>" });
        // The list reads the archive index, written in batches after the 250: reload until the message is there.
        for (var i = 0; i < 100 && await row.CountAsync() == 0; i++)
        {
            await page.GotoAsync($"http://127.0.0.1:{gateway.AdminPort}/archive?scl=7");
        }

        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(to);
        await Assertions.Expect(row).ToContainTextAsync("Keywords=bad");
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "archive-list.png"), FullPage = true });

        await row.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("pre.body")).ToContainTextAsync("<script>alert(1)</script>");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "archive-message.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Release to inbox" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("released");

        var delivered = Assert.Single(gateway.Messages(to));
        Assert.StartsWith("X-MailGateway-Released: ", await File.ReadAllTextAsync(delivered));
        await page.GotoAsync($"http://127.0.0.1:{gateway.AdminPort}/archive");
        await Assertions.Expect(page.Locator("tr", new PageLocatorOptions { HasText = to })).ToContainTextAsync("released");
        Assert.Equal(0, dialogs);
        Assert.Equal(0, externalRequests);
    }

    [Fact]
    public async Task A_cross_site_post_is_refused()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{gateway.AdminPort}/archive/x/release");
        request.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);
    }
}
