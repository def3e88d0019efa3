using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium driven by Playwright, shared by a test class (<c>IClassFixture&lt;ChromiumBrowser&gt;</c>):
/// launching it costs a second or two, a new page costs milliseconds. Playwright never downloads a browser: it drives
/// /usr/bin/chromium (scripts/install-deps.sh installs it) through the Node driver bundled with the package.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: scripts/install-deps.sh installs Debian's chromium");
        // Playwright's 5 s default is short for a loaded 2-core machine that runs gateways and clamd beside the browser.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>
    /// A page in its own context (own cookies) that may talk to <paramref name="origin"/> only: any other request is
    /// recorded in <see cref="WatchedPage.ForeignRequests"/> and aborted before it reaches the network (so no name is
    /// ever resolved); dialogs (alert, confirm) are recorded and dismissed.
    /// </summary>
    public async Task<WatchedPage> OpenAsync(string origin)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page);
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(origin + "/", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                watched.ForeignRequests.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });
        page.Dialog += (_, dialog) =>
        {
            watched.Dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) => watched.Console.Enqueue($"{message.Type}: {message.Text}");
        return watched;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page and what it tried to do beyond its origin.</summary>
public sealed class WatchedPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    /// <summary>Requests for anything outside the allowed origin, from the page or any of its frames (aborted).</summary>
    public ConcurrentQueue<string> ForeignRequests { get; } = new();

    public ConcurrentQueue<string> Dialogs { get; } = new();

    /// <summary>Console messages, CSP violation reports among them.</summary>
    public ConcurrentQueue<string> Console { get; } = new();

    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}
