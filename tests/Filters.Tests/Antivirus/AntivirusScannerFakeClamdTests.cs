using MailGateway.Filters.Antivirus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Filters.Tests.Antivirus;

/// <summary>Replies a real clamd cannot be made to give on demand, from <see cref="FakeClamd"/>.</summary>
public sealed class AntivirusScannerFakeClamdTests
{
    [Fact]
    public async Task Error_reply_fails_as_error_keeping_clamds_text_for_the_log()
    {
        await using var clamd = new FakeClamd("stream: Can't allocate memory ERROR");

        var verdict = await Scanner(clamd).ScanAsync(TestMessages.Clean(1_000), "e1", CancellationToken.None);

        var failed = Assert.IsType<FailedVerdict>(verdict);
        Assert.Equal(ScanFailureReason.Error, failed.Reason);
        Assert.Equal("Can't allocate memory", failed.Detail);
        Assert.Equal("skipped (error)", failed.VirusScannedHeaderValue);
    }

    [Fact]
    public async Task Connection_closed_without_a_reply_fails_as_error()
    {
        await using var clamd = new FakeClamd(scanReply: null);

        var verdict = await Scanner(clamd).ScanAsync(TestMessages.Clean(1_000), "e2", CancellationToken.None);

        Assert.Equal(ScanFailureReason.Error, Assert.IsType<FailedVerdict>(verdict).Reason);
    }

    [Fact]
    public async Task Clean_verdict_carries_the_database_version_asked_once_for_many_scans()
    {
        await using var clamd = new FakeClamd("stream: OK");
        var scanner = Scanner(clamd);

        for (var i = 0; i < 3; i++)
        {
            var verdict = await scanner.ScanAsync(TestMessages.Clean(1_000), "c" + i, CancellationToken.None);
            Assert.Equal("ClamAV 1.4.3/27500", Assert.IsType<CleanVerdict>(verdict).VirusScannedHeaderValue);
        }

        Assert.Equal(1, clamd.VersionRequests);
    }

    private static AntivirusScanner Scanner(FakeClamd clamd)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Antivirus:Port"] = clamd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Antivirus:TimeoutSeconds"] = "10",
            })
            .Build();
        return new ServiceCollection().AddLogging().AddAntivirus(configuration).BuildServiceProvider()
            .GetRequiredService<AntivirusScanner>();
    }
}
