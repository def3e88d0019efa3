namespace MailGateway.Scl.Model.Training;

/// <summary>One scored message for evaluation: its label, a ranking score (higher = more spam) and its SCL.</summary>
public readonly record struct ScoredExample(bool IsSpam, double Score, int Scl);

/// <summary>The figures <c>mailgw eval</c> prints: AUC, recall at fixed false-positive rates, and each SCL threshold.</summary>
public sealed record BinaryMetrics
{
    public int N { get; init; }

    public int Spam { get; init; }

    public int Ham { get; init; }

    /// <summary>Area under the ROC curve (ties count one half).</summary>
    public double Auc { get; init; }

    /// <summary>Highest spam recall at any score threshold whose ham rate is ≤ 0.1%.</summary>
    public double RecallAtFpr01Percent { get; init; }

    /// <summary>Highest spam recall at any score threshold whose ham rate is ≤ 1%.</summary>
    public double RecallAtFpr1Percent { get; init; }

    /// <summary>For SCL ≥ 1..9: spam recall, ham rate, and the number of ham at or above it.</summary>
    public IReadOnlyList<SclThresholdRow> SclThresholds { get; init; } = Array.Empty<SclThresholdRow>();

    public static BinaryMetrics Compute(IReadOnlyList<ScoredExample> examples)
    {
        var spam = examples.Count(e => e.IsSpam);
        var ham = examples.Count - spam;
        var rows = new List<SclThresholdRow>();
        for (var t = 1; t <= 9; t++)
        {
            var tp = examples.Count(e => e.IsSpam && e.Scl >= t);
            var fp = examples.Count(e => !e.IsSpam && e.Scl >= t);
            rows.Add(new SclThresholdRow(t, Ratio(tp, spam), Ratio(fp, ham), fp));
        }

        return new BinaryMetrics
        {
            N = examples.Count,
            Spam = spam,
            Ham = ham,
            Auc = AreaUnderCurve(examples, spam, ham),
            RecallAtFpr01Percent = RecallAtFpr(examples, spam, ham, 0.001),
            RecallAtFpr1Percent = RecallAtFpr(examples, spam, ham, 0.01),
            SclThresholds = rows,
        };
    }

    /// <summary>Mann-Whitney AUC over the ranking score; tied scores count one half.</summary>
    public static double AreaUnderCurve(IReadOnlyList<ScoredExample> examples, int spam, int ham)
    {
        if (spam == 0 || ham == 0)
        {
            return double.NaN;
        }

        var sorted = examples.OrderBy(e => e.Score).ToArray();
        double rankSum = 0;
        var i = 0;
        while (i < sorted.Length)
        {
            var j = i;
            while (j + 1 < sorted.Length && sorted[j + 1].Score == sorted[i].Score)
            {
                j++;
            }

            var averageRank = (i + j + 2) / 2.0;
            for (var k = i; k <= j; k++)
            {
                if (sorted[k].IsSpam)
                {
                    rankSum += averageRank;
                }
            }

            i = j + 1;
        }

        return (rankSum - spam * (spam + 1) / 2.0) / ((double)spam * ham);
    }

    /// <summary>Best recall over thresholds "score ≥ t" (t at each distinct score) with ham rate ≤ <paramref name="maxFpr"/>.</summary>
    public static double RecallAtFpr(IReadOnlyList<ScoredExample> examples, int spam, int ham, double maxFpr)
    {
        if (spam == 0)
        {
            return double.NaN;
        }

        var allowedFp = Math.Floor(ham * maxFpr + 1e-9);
        var sorted = examples.OrderByDescending(e => e.Score).ToArray();
        int tp = 0, fp = 0, best = 0, i = 0;
        while (i < sorted.Length)
        {
            var j = i;
            while (j < sorted.Length && sorted[j].Score == sorted[i].Score)
            {
                if (sorted[j].IsSpam)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }

                j++;
            }

            if (fp > allowedFp)
            {
                break;
            }

            best = tp;
            i = j;
        }

        return (double)best / spam;
    }

    private static double Ratio(int a, int b) => b == 0 ? double.NaN : (double)a / b;
}

/// <summary>What happens at one SCL threshold (SCL ≥ <paramref name="Threshold"/>).</summary>
public sealed record SclThresholdRow(int Threshold, double Recall, double FalsePositiveRate, int FalsePositives);
