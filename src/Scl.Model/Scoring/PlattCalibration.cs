namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// Platt scaling: p = 1 / (1 + exp(-(A·margin + B))), fitted on out-of-fold margins so the probability means what
/// it says on mail the model has not seen (a learner's own probabilities on its training data are overconfident).
/// </summary>
public sealed record PlattCalibration(double A, double B)
{
    /// <summary>The identity on the logistic scale: p = sigmoid(margin).</summary>
    public static PlattCalibration Identity { get; } = new(1, 0);

    /// <summary>Calibrated log-odds of spam for a learner margin.</summary>
    public double LogOdds(double margin) => A * margin + B;

    /// <summary>Calibrated probability of spam for a learner margin.</summary>
    public double Probability(double margin) => SclMapping.FromLogit(LogOdds(margin));

    /// <summary>Fits A and B by Newton's method on the log loss, with Platt's smoothed targets.</summary>
    public static PlattCalibration Fit(IReadOnlyList<double> margins, IReadOnlyList<bool> isSpam)
    {
        var positives = isSpam.Count(s => s);
        var negatives = isSpam.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return Identity;
        }

        var hiTarget = (positives + 1.0) / (positives + 2.0);
        var loTarget = 1.0 / (negatives + 2.0);
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double g1 = 0, g2 = 0, h11 = 1e-9, h22 = 1e-9, h12 = 0, loss = 0;
            for (var i = 0; i < margins.Count; i++)
            {
                var t = isSpam[i] ? hiTarget : loTarget;
                var p = SclMapping.FromLogit(a * margins[i] + b);
                var d = p - t;
                var w = Math.Max(p * (1 - p), 1e-12);
                g1 += d * margins[i];
                g2 += d;
                h11 += w * margins[i] * margins[i];
                h22 += w;
                h12 += w * margins[i];
                loss += -(t * Math.Log(Math.Max(p, 1e-300)) + (1 - t) * Math.Log(Math.Max(1 - p, 1e-300)));
            }

            var det = h11 * h22 - h12 * h12;
            if (Math.Abs(det) < 1e-18)
            {
                break;
            }

            var da = (h22 * g1 - h12 * g2) / det;
            var db = (h11 * g2 - h12 * g1) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) < 1e-9 && Math.Abs(db) < 1e-9)
            {
                break;
            }
        }

        return double.IsFinite(a) && double.IsFinite(b) && a > 0 ? new PlattCalibration(a, b) : Identity;
    }
}
