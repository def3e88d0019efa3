namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// Calibrated spam log-odds → SCL 0..9. Nine ascending cut points c1..c9 on the log-odds scale
/// (log(p / (1 − p)) of the calibrated probability p): SCL = the number of cut points the message reaches, so SCL is
/// monotonic in p by construction. Log-odds rather than probabilities because the cut points for SCL 7..9 sit where
/// probabilities round to 1.0 in a double.
/// </summary>
/// <remarks>
/// Each step has a stated meaning, taken from out-of-fold log-odds of the training ham: at most 5%, 2%, 1%, 0.5%,
/// 0.2%, 0.1% of ham reach SCL 1..6 (<see cref="HamShares"/>); SCL 7 is <see cref="ArchiveMargin"/> above the
/// highest ham; SCL 8 and 9 are 1.5 and 3 above SCL 7. The cut points are stored in the model file: the mapping
/// travels with the model it was chosen for.
/// </remarks>
public sealed class SclMapping
{
    /// <summary>
    /// Used when a model is trained on too little data to choose cut points (tests, tiny folders): probabilities
    /// 0.05, 0.15, 0.30, 0.50, 0.70, 0.85, 0.95, 0.98, 0.995.
    /// </summary>
    public static SclMapping Default { get; } =
        new(new[] { 0.05, 0.15, 0.30, 0.50, 0.70, 0.85, 0.95, 0.98, 0.995 }.Select(Logit).ToArray());

    /// <summary>Creates a mapping from nine strictly ascending, finite log-odds.</summary>
    public SclMapping(IReadOnlyList<double> cutPoints)
    {
        if (cutPoints.Count != 9)
        {
            throw new ArgumentException("an SCL mapping needs exactly 9 cut points", nameof(cutPoints));
        }

        for (var i = 0; i < 9; i++)
        {
            if (!double.IsFinite(cutPoints[i]) || (i > 0 && cutPoints[i] <= cutPoints[i - 1]))
            {
                throw new ArgumentException("SCL cut points must be finite and strictly ascending", nameof(cutPoints));
            }
        }

        CutPoints = cutPoints.ToArray();
    }

    /// <summary>c1..c9: the calibrated log-odds at which SCL 1..9 starts.</summary>
    public IReadOnlyList<double> CutPoints { get; }

    /// <summary>The SCL for calibrated log-odds of spam; NaN maps to 0 (no evidence of spam).</summary>
    public int ToScl(double logOdds)
    {
        var scl = 0;
        while (scl < 9 && logOdds >= CutPoints[scl])
        {
            scl++;
        }

        return scl;
    }

    /// <summary>
    /// The stated meaning of SCL 1..6: the share of ham (out of fold, mail the learners had not seen) at or above
    /// each. SCL 4, Exchange's default junk threshold, is where about 0.5% of ham is; SCL 7 is above every ham.
    /// </summary>
    public static IReadOnlyList<double> HamShares { get; } = [0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

    /// <summary>Log-odds between the highest out-of-fold ham and SCL 7 (archive): the margin for mail unlike the training ham.</summary>
    public const double ArchiveMargin = 1.0;

    /// <summary>
    /// Chooses cut points from out-of-fold ham log-odds: c1..c6 so that no more than <see cref="HamShares"/> of the
    /// ham reaches each (the cut midway between the last ham allowed above it and the first below), c7
    /// <see cref="ArchiveMargin"/> above the highest ham, c8 and c9 1.5 and 3 above c7.
    /// </summary>
    public static SclMapping FromHamLogOdds(IReadOnlyList<double> hamLogOdds)
    {
        var sorted = hamLogOdds.Where(double.IsFinite).OrderByDescending(x => x).ToArray();
        if (sorted.Length == 0)
        {
            return Default;
        }

        var cuts = new double[9];
        for (var k = 0; k < HamShares.Count; k++)
        {
            var allowed = (int)Math.Floor(sorted.Length * HamShares[k] + 1e-9);
            var cut = CutAbove(sorted, Math.Min(allowed, sorted.Length - 1));
            cuts[k] = k == 0 ? cut : Math.Max(cut, cuts[k - 1] + MinimumStep);
        }

        cuts[6] = Math.Max(sorted[0] + ArchiveMargin, cuts[5] + MinimumStep);
        cuts[7] = cuts[6] + 1.5;
        cuts[8] = cuts[6] + 3.0;
        return new SclMapping(cuts);
    }

    /// <summary>For each SCL 1..9, the share of <paramref name="logOdds"/> at or above it.</summary>
    public double[] SharesAtOrAbove(IReadOnlyList<double> logOdds) =>
        Enumerable.Range(1, 9).Select(scl => logOdds.Count == 0 ? 0 : logOdds.Count(x => ToScl(x) >= scl) / (double)logOdds.Count).ToArray();

    // Between neighbouring SCLs when ties or few ham put two cut points at the same place.
    private const double MinimumStep = 0.001;

    /// <summary>A cut that the ham at <paramref name="index"/> (descending) and every lower one stay below.</summary>
    private static double CutAbove(double[] sortedDescending, int index)
    {
        var v = sortedDescending[index];
        var j = index - 1;
        while (j >= 0 && sortedDescending[j] <= v)
        {
            j--;
        }

        return j >= 0 ? (v + sortedDescending[j]) / 2 : v + 0.5;
    }

    internal static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-15, 1 - 1e-15);
        return Math.Log(p / (1 - p));
    }

    internal static double FromLogit(double x) => 1 / (1 + Math.Exp(-x));
}
