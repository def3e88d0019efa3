namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// Calibrated spam log-odds → SCL 0..9. Nine ascending cut points c1..c9 on the log-odds scale
/// (log(p / (1 − p)) of the calibrated probability p): SCL = the number of cut points the message reaches, so SCL is
/// monotonic in p by construction. Log-odds rather than probabilities because the cut points for SCL 7..9 sit where
/// probabilities round to 1.0 in a double.
/// </summary>
/// <remarks>
/// The trainer chooses c4 and c7 from out-of-fold log-odds of the training ham (c4: at most 0.05% of ham reaches it;
/// c7: one log-odds unit above the highest ham), spaces c5 and c6 evenly between them, puts c8 and c9 1.5 and 3
/// units above c7 and c1..c3 one unit apart below c4 (never above the defaults), and stores them in the model file:
/// the mapping travels with the model it was chosen for.
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
    /// Chooses cut points from out-of-fold ham log-odds: c4 so that no more than <paramref name="junkHamRate"/> of
    /// the ham reaches it, c7 above every ham (see the remarks on <see cref="SclMapping"/>).
    /// </summary>
    public static SclMapping FromHamLogOdds(IReadOnlyList<double> hamLogOdds, double junkHamRate = 0.0005)
    {
        var sorted = hamLogOdds.Where(double.IsFinite).OrderByDescending(x => x).ToArray();
        if (sorted.Length == 0)
        {
            return Default;
        }

        var d = Default.CutPoints;
        var allowed = (int)Math.Floor(sorted.Length * junkHamRate);
        // c4 sits just above the (allowed+1)-th highest ham, so at most `allowed` ham reach it.
        var c4 = Math.Max(d[3], sorted[Math.Min(allowed, sorted.Length - 1)] + 0.5);
        var c7 = Math.Max(Math.Max(d[6], sorted[0] + 1.0), c4 + 1.0);
        var cuts = new double[9];
        cuts[3] = c4;
        cuts[4] = c4 + (c7 - c4) / 3;
        cuts[5] = c4 + 2 * (c7 - c4) / 3;
        cuts[6] = c7;
        cuts[7] = c7 + 1.5;
        cuts[8] = c7 + 3.0;
        cuts[2] = Math.Min(d[2], c4 - 1);
        cuts[1] = Math.Min(d[1], cuts[2] - 1);
        cuts[0] = Math.Min(d[0], cuts[1] - 1);
        return new SclMapping(cuts);
    }

    internal static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-15, 1 - 1e-15);
        return Math.Log(p / (1 - p));
    }

    internal static double FromLogit(double x) => 1 / (1 + Math.Exp(-x));
}
