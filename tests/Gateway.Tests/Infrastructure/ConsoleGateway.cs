using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// One gateway per console test class, with its own thresholds file (a copy of the shipped one in its storage folder,
/// so applying thresholds on the page never touches the repository's config/).
/// </summary>
public sealed class ConsoleGateway : IAsyncLifetime
{
    public GatewayProcess Gateway { get; private set; } = null!;

    public string ThresholdsPath { get; private set; } = "";

    public string Origin => $"http://127.0.0.1:{Gateway.AdminPort}";

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mailgw-console-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        ThresholdsPath = Path.Combine(folder, "thresholds.json");
        File.Copy(Path.Combine(RepoPaths.Root, "config", "thresholds.json"), ThresholdsPath);
        Gateway = new GatewayProcess(new Dictionary<string, string> { ["Scl:ThresholdsFile"] = ThresholdsPath }, Path.Combine(folder, "storage"));
        await Gateway.StartAsync();
    }

    /// <summary>Sends one message; returns the gateway's queue id from the 250 reply.</summary>
    public async Task<string> SendAsync(MimeKit.MimeMessage message)
    {
        var (code, text) = await TestMail.SendAsync(Gateway.SmtpPort, message);
        Assert.True(code == 250, $"{code} {text}");
        return text;
    }

    /// <summary>The archive id of the archived message whose file contains <paramref name="marker"/>.</summary>
    public async Task<string> ArchivedIdAsync(string marker)
    {
        for (var i = 0; i < 100; i++)
        {
            var file = Gateway.ArchivedMessages().FirstOrDefault(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal));
            if (file is not null)
            {
                return Path.GetFileNameWithoutExtension(file);
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"no archived message contains {marker}");
    }

    /// <summary>
    /// Saves a screenshot: always under the test output's artifacts/, and into docs/images/ when
    /// <c>MAILGW_DOCS_SCREENSHOTS=1</c> (scripts/console-screenshots.sh) so the documentation shows the pages as they are.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        await File.WriteAllBytesAsync(Path.Combine(artifacts, name + ".png"), bytes);
        if (Environment.GetEnvironmentVariable("MAILGW_DOCS_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepoPaths.Root, "docs", "images");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, name + ".png"), bytes);
        }
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(ThresholdsPath)!, recursive: true);
    }
}
