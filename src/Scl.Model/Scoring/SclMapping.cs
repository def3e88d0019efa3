namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// Calibrated spam probability → SCL 0..9. Nine ascending cut points c1..c9: SCL = the number of cut points that the
/// probability reaches (p ≥ c<sub>k</sub>), so SCL is monotonic in p by construction. The trainer chooses c4 and c7 from
/// out-of-fold scores of the training ham (c4: at most 0.05% of ham reaches it; c7: above every ham), fills the
/// others in between, and stores them in the model file: the mapping travels with the model it was chosen for.
/// </summary>
public sealed class SclMapping
{
    /// <summary>Used when a model is trained on too little data to choose cut points (tests, tiny folders).</summary>
    public static SclMapping Default { get; } = new([0.05, 0.15, 0.30, 0.50, 0.70, 0.85, 0.95, 0.98, 0.995]);

    /// <summary>Creates a mapping from nine strictly ascending probabilities in (0, 1].</summary>
    public SclMapping(IReadOnlyList<double> cutPoints)
    {
        if (cutPoints.Count != 9)
        {
            throw new ArgumentException("an SCL mapping needs exactly 9 cut points", nameof(cutPoints));
        }

        for (var i = 0; i < 9; i++)
        {
            if (!(cutPoints[i] > 0 && cutPoints[i] <= 1) || (i > 0 && cutPoints[i] <= cutPoints[i - 1]))
            {
                throw new ArgumentException("SCL cut points must ascend strictly within (0, 1]", nameof(cutPoints));
            }
        }

        CutPoints = cutPoints.ToArray();
    }

    /// <summary>c1..c9: the probability at which SCL 1..9 starts.</summary>
    public IReadOnlyList<double> CutPoints { get; }

    /// <summary>The SCL for a calibrated probability; NaN maps to 0 (no evidence of spam).</summary>
    public int ToScl(double probability)
    {
        var scl = 0;
        while (scl < 9 && probability >= CutPoints[scl])
        {
            scl++;
        }

        return scl;
    }

    /// <summary>
    /// Chooses cut points from out-of-fold ham probabilities: c4 so that no more than
    /// <paramref name="junkHamRate"/> of ham reaches it, c7 above the highest ham (with a margin in log-odds),
    /// c5 and c6 evenly between them, c8 and c9 between c7 and 1, c1..c3 below c4.
    /// </summary>
    public static SclMapping FromHamProbabilities(IReadOnlyList<double> hamProbabilities, double junkHamRate = 0.0005)
    {
        if (hamProbabilities.Count == 0)
        {
            return Default;
        }

        var sorted = hamProbabilities.Where(p => !double.IsNaN(p)).OrderByDescending(p => p).ToArray();
        var allowed = (int)Math.Floor(sorted.Length * junkHamRate);
        // c4 sits just above the (allowed+1)-th highest ham, so at most `allowed` ham reach it.
        var c4 = Math.Max(Default.CutPoints[3], Nudge(sorted[Math.Min(allowed, sorted.Length - 1)], 0.5));
        var c7 = Math.Max(Math.Max(Default.CutPoints[6], Nudge(sorted[0], 1.0)), Nudge(c4, 1.0));

        var cuts = new double[9];
        cuts[3] = c4;
        cuts[6] = c7;
        cuts[4] = FromLogit(Logit(c4) + (Logit(c7) - Logit(c4)) / 3);
        cuts[5] = FromLogit(Logit(c4) + 2 * (Logit(c7) - Logit(c4)) / 3);
        cuts[7] = FromLogit(Logit(c7) + 1.5);
        cuts[8] = FromLogit(Logit(c7) + 3.0);
        cuts[2] = Math.Min(Default.CutPoints[2], FromLogit(Logit(c4) - 1));
        cuts[1] = Math.Min(Default.CutPoints[1], FromLogit(Logit(cuts[2]) - 1));
        cuts[0] = Math.Min(Default.CutPoints[0], FromLogit(Logit(cuts[1]) - 1));
        return new SclMapping(cuts);
    }

    /// <summary>Moves a probability up by <paramref name="logOdds"/> in log-odds, so a cut point clears the ham it was set against.</summary>
    private static double Nudge(double p, double logOdds) => FromLogit(Logit(p) + logOdds);

    internal static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-15, 1 - 1e-15);
        return Math.Log(p / (1 - p));
    }

    internal static double FromLogit(double x) => 1 / (1 + Math.Exp(-x));
}
