using MailGateway.Gateway.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailGateway.Gateway.Tests.Routing;

public sealed class SclRouterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("router-").FullName;

    [Theory]
    [InlineData(2, 6, "Inbox")]
    [InlineData(2, 7, "Junk")]
    [InlineData(2, 9, "Junk")]
    [InlineData(5, 9, "Junk")]
    [InlineData(8, 9, "Archive")]
    [InlineData(8, 0, "Archive")]
    [InlineData(-1, 9, "Inbox")]
    public void Bulk_at_or_above_the_threshold_goes_to_junk_and_never_further_on_bulk_alone(int scl, int bcl, string route)
    {
        using var router = Router("""{ "Scl": { "JunkThreshold": 4, "ArchiveThreshold": 7 }, "Bulk": { "Threshold": 7 } }""");

        Assert.Equal(Enum.Parse<MessageRoute>(route), router.RouteFor(scl, bcl));
    }

    [Fact]
    public void Bulk_threshold_10_switches_the_bulk_route_off_and_a_missing_section_means_7()
    {
        using var off = Router("""{ "Bulk": { "Threshold": 10 } }""");
        using var missing = Router("""{ "Scl": { "JunkThreshold": 4 } }""");

        Assert.Equal(MessageRoute.Inbox, off.RouteFor(0, 9));
        Assert.Equal(7, missing.CurrentBulk.Threshold);
        Assert.Equal(MessageRoute.Junk, missing.RouteFor(0, 7));
        Assert.Equal(MessageRoute.Inbox, missing.RouteFor(0, null));
    }

    [Fact]
    public void A_bulk_threshold_out_of_range_is_refused_naming_its_key()
    {
        var path = Write("""{ "Bulk": { "Threshold": 11 } }""");

        var (thresholds, errors) = ThresholdsFile.LoadAll(path);

        Assert.Null(thresholds);
        Assert.Contains(errors, e => e.StartsWith("Bulk:Threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_thresholds_file_is_junk_4_archive_7_reject_off_and_bulk_7()
    {
        var (thresholds, errors) = ThresholdsFile.LoadAll(Path.Combine(Infrastructure.RepoPaths.Root, "config", "thresholds.json"));

        Assert.Empty(errors);
        Assert.Equal((4, 7, 10, 7), (thresholds!.Scl.JunkThreshold, thresholds.Scl.ArchiveThreshold, thresholds.Scl.RejectThreshold, thresholds.Bulk.Threshold));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SclRouter Router(string json) => new(Write(json), NullLogger<SclRouter>.Instance);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"thresholds-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
