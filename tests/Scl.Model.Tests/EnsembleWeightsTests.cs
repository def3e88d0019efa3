using MailGateway.Scl.Model.Training;

namespace MailGateway.Scl.Model.Tests;

/// <summary>The Ensemble's member weights come from out-of-fold scores, not a fixed average.</summary>
public sealed class EnsembleWeightsTests
{
    [Fact]
    public void Weights_move_away_from_an_even_mix_when_one_member_puts_ham_on_top()
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 2000).Select(i => i % 2 == 0).ToArray();
        // Member 0 separates perfectly; member 1 is noise with a heavy tail that puts some ham on top.
        var separating = labels.Select(l => (l ? 1.0 : -1.0) + random.NextDouble() * 0.1).ToArray();
        var noisy = labels.Select(_ => Math.Pow(random.NextDouble(), 8) * 50).ToArray();
        double[] even = [0.5 / Sd(separating), 0.5 / Sd(noisy)];
        var evenRecall = RecallAtFpr01(even, separating, noisy, labels);
        Assert.True(evenRecall < 0.99, $"the even mix should let ham on top (recall {evenRecall})");

        var weights = SclTrainer.ChooseWeights([separating, noisy], labels);

        Assert.Equal(1.0, RecallAtFpr01(weights, separating, noisy, labels));
    }

    [Fact]
    public void Two_equally_good_members_keep_an_even_mix_of_their_standardised_margins()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 2 == 0).ToArray();
        var a = labels.Select((l, i) => (l ? 1.0 : -1.0) + i * 1e-4).ToArray();
        var b = a.Select(x => x * 10).ToArray(); // the same ranking on another scale

        var weights = SclTrainer.ChooseWeights([a, b], labels);

        Assert.Equal(weights[0] * Sd(a), weights[1] * Sd(b), 9);
    }

    [Fact]
    public void A_fixed_linear_share_is_kept_whatever_the_out_of_fold_scores_say()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 2 == 0).ToArray();
        var a = labels.Select((l, i) => (l ? 1.0 : -1.0) + i * 1e-4).ToArray();
        var b = a.Select(x => x * 10).ToArray();

        var weights = SclTrainer.ChooseWeights([a, b], labels, linearShare: 0.8);

        Assert.Equal(0.8, weights[0] * Sd(a), 9);
        Assert.Equal(0.2, weights[1] * Sd(b), 9);
    }

    private static double RecallAtFpr01(double[] w, double[] a, double[] b, bool[] labels)
    {
        var examples = labels.Select((l, i) => new ScoredExample(l, w[0] * a[i] + w[1] * b[i], 0)).ToList();
        return BinaryMetrics.RecallAtFpr(examples, labels.Count(l => l), labels.Count(l => !l), 0.001);
    }

    private static double Sd(double[] v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
