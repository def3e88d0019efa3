using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

public class ArchiveRetentionTests
{
    [Fact]
    public async Task Archive_days_past_the_retention_are_removed_at_start_and_newer_ones_stay()
    {
        var gateway = new GatewayProcess(new Dictionary<string, string> { ["Archive:RetentionDays"] = "3" });
        await using var _ = gateway;
        var old = Path.Combine(gateway.StorageRoot, "archive", DateTime.UtcNow.AddDays(-4).ToString("yyyy-MM-dd"));
        var kept = Path.Combine(gateway.StorageRoot, "archive", DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd"));
        var oldVirus = Path.Combine(gateway.StorageRoot, "archive", "virus", "2020-01-01");
        foreach (var day in new[] { old, kept, oldVirus })
        {
            Directory.CreateDirectory(day);
            await File.WriteAllTextAsync(Path.Combine(day, Guid.NewGuid().ToString("N") + ".eml"), "Subject: old\r\n\r\nbody\r\n");
        }

        await gateway.StartAsync();

        Assert.True(await gateway.WaitForOutputAsync("Archive retention removed 2 messages older than 3 days"), gateway.Output);
        Assert.False(Directory.Exists(old));
        Assert.False(Directory.Exists(oldVirus));
        Assert.Single(Directory.GetFiles(kept));
    }

    [Fact]
    public async Task A_negative_retention_stops_the_start()
    {
        var (code, output) = await GatewayProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["Archive:RetentionDays"] = "-1",
            ["Storage:Root"] = Path.Combine(Path.GetTempPath(), "mailgw-retention-" + Guid.NewGuid().ToString("N")[..8]),
            ["Smtp:Port"] = FreePort.Next().ToString(),
            ["Admin:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Antivirus:Enabled"] = "false",
        });

        Assert.Equal(1, code);
        Assert.Contains("Archive:RetentionDays: must be 0 (keep for ever) or more (was -1)", output);
    }
}
