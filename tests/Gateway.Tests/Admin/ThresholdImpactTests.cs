using MailGateway.Gateway.Routing;

namespace MailGateway.Gateway.Tests.Admin;

public class ThresholdImpactTests
{
    private static readonly Dictionary<int, long> Counts = new() { [-1] = 2, [0] = 50, [3] = 9, [4] = 7, [5] = 6, [6] = 4, [7] = 3, [9] = 11 };

    [Fact]
    public void Lowering_both_thresholds_moves_messages_down_the_line_and_counts_each_direction()
    {
        var current = new SclOptions { JunkThreshold = 4, ArchiveThreshold = 7 };
        var proposed = new SclOptions { JunkThreshold = 3, ArchiveThreshold = 6 };

        var moves = ThresholdImpact.Moves(Counts, current, proposed);

        Assert.Equal([(MessageRoute.Inbox, MessageRoute.Junk, 9L), (MessageRoute.Junk, MessageRoute.Archive, 4L)], moves);
    }

    [Fact]
    public void Raising_the_junk_threshold_past_archive_moves_messages_back_towards_the_inbox()
    {
        var current = new SclOptions { JunkThreshold = 4, ArchiveThreshold = 7 };
        var proposed = new SclOptions { JunkThreshold = 6, ArchiveThreshold = 9 };

        var moves = ThresholdImpact.Moves(Counts, current, proposed);

        Assert.Equal([(MessageRoute.Junk, MessageRoute.Inbox, 13L), (MessageRoute.Archive, MessageRoute.Junk, 3L)], moves);
    }

    [Fact]
    public void The_same_thresholds_move_nothing_and_bulk_moves_count_both_ways()
    {
        var same = new SclOptions();
        Assert.Empty(ThresholdImpact.Moves(Counts, same, same));
        Assert.Equal((10L, 0L), ThresholdImpact.BulkMoves(new Dictionary<int, long> { [5] = 4, [6] = 6, [8] = 1 }, 7, 5));
        Assert.Equal((0L, 10L), ThresholdImpact.BulkMoves(new Dictionary<int, long> { [5] = 4, [7] = 6, [8] = 1 }, 5, 8));
    }
}
