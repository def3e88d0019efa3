using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The web archive manager in a real browser: Debian's Chromium driven by Playwright (no browser download).</summary>
public class ArchiveWebTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_archive_page_lists_a_message_sent_over_smtp_and_releases_it_to_the_inbox()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/install-deps.sh installs Debian's chromium");
        await using var gateway = await GatewayProcess.StartAsync();
        var to = $"web-{Guid.NewGuid():N}"[..12] + "@example.org";
        var (code, _) = await TestMail.SendAsync(gateway.SmtpPort,
            TestMail.Text(to, "Claim your prize <b>now</b>", "free money <script>alert(1)</script>"));
        Assert.Equal(250, code);
        Assert.Empty(gateway.Messages(to));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        // Playwright's 5 s default is short for a loaded CI machine: the first page render and the release POST
        // (which syncs the inbox before it redirects) run while other test classes start gateways and clamd.
        Assertions.SetDefaultExpectTimeout(30_000);
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        var externalRequests = 0;
        page.Request += (_, r) => { if (!r.Url.StartsWith($"http://127.0.0.1:{gateway.AdminPort}/")) { externalRequests++; } };

        await page.GotoAsync($"http://127.0.0.1:{gateway.AdminPort}/archive?scl=7");
        var row = page.Locator("tr", new PageLocatorOptions { HasText = "Claim your prize <b>now</b>" });
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
