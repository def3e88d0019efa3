using MailGateway.Gateway.Routing;

namespace MailGateway.Gateway.Tests.Admin;

public sealed class ThresholdsFileWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailgw-thresholds-").FullName;

    [Fact]
    public async Task Good_thresholds_replace_the_file_and_read_back_as_written()
    {
        var path = Path.Combine(_folder, "thresholds.json");
        await File.WriteAllTextAsync(path, "{ \"Scl\": { \"JunkThreshold\": 4 } }");

        var errors = await ThresholdsFileWriter.WriteAsync(path,
            new RoutingThresholds(new SclOptions { JunkThreshold = 3, ArchiveThreshold = 6, RejectThreshold = 10 }, new BulkOptions { Threshold = 8 }),
            CancellationToken.None);

        Assert.Empty(errors);
        var (read, readErrors) = ThresholdsFile.LoadAll(path);
        Assert.Empty(readErrors);
        Assert.Equal("junk>=3 archive>=6 reject>=10 bulk>=8", read!.ToString());
        Assert.Equal(["thresholds.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Thresholds_a_hand_edit_could_not_set_are_refused_and_the_file_is_left_alone()
    {
        var path = Path.Combine(_folder, "thresholds.json");
        const string before = "{ \"Scl\": { \"JunkThreshold\": 4, \"ArchiveThreshold\": 7 } }";
        await File.WriteAllTextAsync(path, before);

        var errors = await ThresholdsFileWriter.WriteAsync(path,
            new RoutingThresholds(new SclOptions { JunkThreshold = 8, ArchiveThreshold = 6 }, new BulkOptions()), CancellationToken.None);

        Assert.Contains(errors, e => e.StartsWith("Scl:JunkThreshold: must not be above Scl:ArchiveThreshold", StringComparison.Ordinal));
        Assert.Equal(before, await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
