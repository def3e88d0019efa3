using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailGateway.Filters.Antivirus;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Filters.Tests.Antivirus;

[Collection(ClamdCollection.Name)]
public sealed class AntivirusScannerTests(ClamdFixture clamd)
{
    [Fact]
    public async Task Eicar_as_base64_attachment_is_infected_with_its_signature()
    {
        using var message = TestMessages.WithAttachment("invoice.com", TestMessages.Eicar);
        Assert.Contains("Content-Transfer-Encoding: base64", Encoding.ASCII.GetString(message.ToArray()), StringComparison.Ordinal);

        var verdict = await clamd.CreateScanner().ScanAsync(message, "m1", CancellationToken.None);

        var infected = Assert.IsType<InfectedVerdict>(verdict);
        Assert.StartsWith("Eicar-Test-Signature", infected.Signature, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clam.zip", "application/zip")]
    [InlineData("clam.7z", "application/x-7z-compressed")]
    [InlineData("clam.exe", "application/octet-stream")]
    public async Task Clamav_test_file_as_attachment_is_infected(string fileName, string mimeType)
    {
        using var message = TestMessages.WithAttachment(fileName, TestMessages.TestFile(fileName), mimeType);

        var verdict = await clamd.CreateScanner().ScanAsync(message, "m2", CancellationToken.None);

        var infected = Assert.IsType<InfectedVerdict>(verdict);
        Assert.StartsWith("clam.", infected.Signature, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clam_exe_inside_a_zip_inside_a_multipart_is_infected_by_the_exe_signature()
    {
        var zip = TestMessages.Zip(("readme.txt", Encoding.UTF8.GetBytes("hello\n")), ("setup.exe", TestMessages.TestFile("clam.exe")));
        using var message = TestMessages.WithAttachment("setup.zip", zip, "application/zip");

        var verdict = await clamd.CreateScanner().ScanAsync(message, "m3", CancellationToken.None);

        var infected = Assert.IsType<InfectedVerdict>(verdict);
        Assert.Equal("clam.exe.UNOFFICIAL", infected.Signature);
        Assert.Equal("infected (clam.exe.UNOFFICIAL)", infected.VirusScannedHeaderValue);
    }

    [Fact]
    public async Task Clean_message_is_clean_with_the_engine_version_header()
    {
        using var message = TestMessages.Clean(200_000);

        var verdict = await clamd.CreateScanner().ScanAsync(message, "m4", CancellationToken.None);

        var clean = Assert.IsType<CleanVerdict>(verdict);
        Assert.Matches(@"^ClamAV \d+\.\d+", clean.VirusScannedHeaderValue);
        Assert.NotEqual(ClamdVersion.Unknown, clean.EngineVersion);
    }

    [Fact]
    public async Task Clean_message_over_the_unix_socket_is_clean()
    {
        var scanner = clamd.CreateScanner(new Dictionary<string, string?> { ["Antivirus:SocketPath"] = clamd.SocketPath, ["Antivirus:Port"] = "1" });
        using var message = TestMessages.Clean(10_000);

        Assert.IsType<CleanVerdict>(await scanner.ScanAsync(message, "m5", CancellationToken.None));
        Assert.True(await scanner.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Closed_port_fails_as_unreachable()
    {
        var scanner = clamd.CreateScanner(new Dictionary<string, string?> { ["Antivirus:Port"] = Port(ClamdFixture.FreeLoopbackPort()) });
        using var message = TestMessages.Clean(1_000);

        var verdict = await scanner.ScanAsync(message, "m6", CancellationToken.None);

        var failed = Assert.IsType<FailedVerdict>(verdict);
        Assert.Equal(ScanFailureReason.Unreachable, failed.Reason);
        Assert.Equal("skipped (unreachable)", failed.VirusScannedHeaderValue);
        Assert.False(await scanner.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Listener_that_never_answers_fails_as_timeout_after_the_configured_time()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptSocketAsync();
        var scanner = clamd.CreateScanner(new Dictionary<string, string?>
        {
            ["Antivirus:Port"] = Port(((IPEndPoint)silent.LocalEndpoint).Port),
            ["Antivirus:TimeoutSeconds"] = "1",
        });
        using var message = TestMessages.Clean(1_000);
        var started = TimeProvider.System.GetTimestamp();

        var verdict = await scanner.ScanAsync(message, "m7", CancellationToken.None);

        var elapsed = TimeProvider.System.GetElapsedTime(started);
        var failed = Assert.IsType<FailedVerdict>(verdict);
        Assert.Equal(ScanFailureReason.Timeout, failed.Reason);
        Assert.Equal("skipped (timeout)", failed.VirusScannedHeaderValue);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        (await accepted).Dispose();
    }

    [Fact]
    public async Task Caller_cancellation_is_rethrown_not_turned_into_a_verdict()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var scanner = clamd.CreateScanner(new Dictionary<string, string?> { ["Antivirus:Port"] = Port(((IPEndPoint)silent.LocalEndpoint).Port) });
        using var message = TestMessages.Clean(1_000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scanner.ScanAsync(message, "m8", cancel.Token));
    }

    [Fact]
    public async Task Message_over_stream_max_length_fails_with_size_limit()
    {
        using var message = TestMessages.Clean(ClamdFixture.StreamMaxLengthBytes * 2);

        var verdict = await clamd.CreateScanner().ScanAsync(message, "m9", CancellationToken.None);

        var failed = Assert.IsType<FailedVerdict>(verdict);
        Assert.Equal(ScanFailureReason.SizeLimitExceeded, failed.Reason);
        Assert.Equal("skipped (size limit exceeded)", failed.VirusScannedHeaderValue);
    }

    [Fact]
    public async Task Scans_are_counted_on_the_antivirus_meter()
    {
        using var services = clamd.CreateServices();
        var scanner = services.GetRequiredService<AntivirusScanner>();
        var factory = services.GetRequiredService<IMeterFactory>();
        var totals = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AntivirusMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Add(instrument.Name + ".count", 1));
        listener.Start();

        using (var clean = TestMessages.Clean(10_000))
        {
            await scanner.ScanAsync(clean, "c", CancellationToken.None);
        }

        using (var infected = TestMessages.WithAttachment("eicar.com", TestMessages.Eicar))
        {
            await scanner.ScanAsync(infected, "i", CancellationToken.None);
        }

        // The gateway's disposition store counts a virus it kept in the virus archive on the same meter.
        services.GetRequiredService<AntivirusMetrics>().RecordArchived();

        Assert.Equal(2, totals["mailgateway.antivirus.messages_scanned"]);
        Assert.Equal(1, totals["mailgateway.antivirus.messages_infected"]);
        Assert.Equal(1, totals["mailgateway.antivirus.messages_archived"]);
        Assert.Equal(0, totals["mailgateway.antivirus.queue_length"]);
        Assert.Equal(2, totals["mailgateway.antivirus.scan_duration.count"]);
        Assert.True(totals["mailgateway.antivirus.bytes_scanned"] > 10_000);
        Assert.False(totals.ContainsKey("mailgateway.antivirus.scan_errors"));

        void Add(string name, double value)
        {
            lock (totals)
            {
                totals[name] = totals.GetValueOrDefault(name) + value;
            }
        }
    }

    [Fact]
    public async Task Engine_version_is_cached_between_scans()
    {
        var scanner = clamd.CreateScanner();

        var first = await scanner.GetEngineVersionAsync(CancellationToken.None);
        var second = await scanner.GetEngineVersionAsync(CancellationToken.None);

        Assert.Same(first, second);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
