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
    public void Cut_points_chosen_from_ham_keep_the_highest_ham_below_scl_7_and_nearly_all_below_scl_4()
    {
        var random = new Random(3);
        var ham = Enumerable.Range(0, 4000).Select(_ => random.NextDouble() * 12 - 9).ToList();
        var mapping = SclMapping.FromHamLogOdds(ham);

        AssertMonotonic(mapping);
        Assert.All(ham, x => Assert.True(mapping.ToScl(x) < 7, $"ham log-odds {x} reached SCL 7"));
        var junk = ham.Count(x => mapping.ToScl(x) >= 4);
        Assert.True(junk <= 2, $"{junk} of 4000 ham at SCL >= 4 (at most 0.05% = 2 allowed)");
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
