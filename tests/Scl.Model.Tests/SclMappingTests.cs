using MailGateway.Scl.Model.Scoring;

namespace MailGateway.Scl.Model.Tests;

public sealed class SclMappingTests
{
    [Fact]
    public void Default_mapping_is_monotonic_and_spans_0_to_9()
    {
        AssertMonotonic(SclMapping.Default);
        Assert.Equal(0, SclMapping.Default.ToScl(-50));
        Assert.Equal(9, SclMapping.Default.ToScl(50));
    }

    [Fact]
    public void Shipped_mapping_is_monotonic_and_spans_0_to_9()
    {
        var mapping = SclModel.Load(SclModel.DefaultPath).Mapping;
        AssertMonotonic(mapping);
        Assert.Equal(0, mapping.ToScl(-100));
        Assert.Equal(9, mapping.ToScl(100));
    }

    [Fact]
    public void Cut_points_chosen_from_ham_keep_the_highest_ham_below_scl_7_and_each_step_at_its_stated_ham_share()
    {
        var random = new Random(3);
        var ham = Enumerable.Range(0, 4000).Select(_ => random.NextDouble() * 12 - 9).ToList();
        var mapping = SclMapping.FromHamLogOdds(ham);

        AssertMonotonic(mapping);
        Assert.All(ham, x => Assert.True(mapping.ToScl(x) < 7, $"ham log-odds {x} reached SCL 7"));
        Assert.True(mapping.CutPoints[6] >= ham.Max() + SclMapping.ArchiveMargin);
        for (var scl = 1; scl <= 6; scl++)
        {
            var allowed = (int)Math.Floor(ham.Count * SclMapping.HamShares[scl - 1]);
            var reached = ham.Count(x => mapping.ToScl(x) >= scl);
            // The cut sits between the last ham allowed and the next, so exactly the allowed number reach it.
            Assert.Equal(allowed, reached);
        }
    }

    [Fact]
    public void Tied_ham_scores_stay_below_the_cut_they_would_cross_together()
    {
        var ham = Enumerable.Repeat(1.0, 1000).Concat([-3.0, -2.0]).ToList();
        var mapping = SclMapping.FromHamLogOdds(ham);

        AssertMonotonic(mapping);
        // 1,000 ham tie at the top: no cut can let 0.5% through without letting all of them through, so none reach SCL 1.
        Assert.Equal(0, mapping.ToScl(1.0));
        Assert.Equal(7, mapping.ToScl(1.0 + SclMapping.ArchiveMargin));
        Assert.Equal(6, mapping.ToScl(1.0 + SclMapping.ArchiveMargin - 0.01));
    }

    [Fact]
    public void Shares_at_or_above_count_each_scl_step()
    {
        var mapping = SclMapping.Default;
        var logOdds = new[] { -10.0, 0.0, 10.0, 10.0 };

        var shares = mapping.SharesAtOrAbove(logOdds);

        Assert.Equal(9, shares.Length);
        Assert.Equal(0.75, shares[0]);
        Assert.Equal(0.75, shares[3]);
        Assert.Equal(0.5, shares[8]);
    }

    [Theory]
    [InlineData(new[] { 0.1, 0.2, 0.3 })]
    [InlineData(new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.8 })]
    [InlineData(new[] { double.NegativeInfinity, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 })]
    public void Invalid_cut_points_are_refused(double[] cuts) =>
        Assert.Throws<ArgumentException>(() => new SclMapping(cuts));

    [Fact]
    public void NaN_probability_maps_to_0() => Assert.Equal(0, SclMapping.Default.ToScl(double.NaN));

    private static void AssertMonotonic(SclMapping mapping)
    {
        var previous = 0;
        for (var i = -100_000; i <= 100_000; i++)
        {
            var scl = mapping.ToScl(i / 1000.0);
            Assert.InRange(scl, previous, 9);
            previous = scl;
        }
    }
}
