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

    /// <summary>
    /// Fits A and B by Newton's method with backtracking on the log loss, with Platt's smoothed targets
    /// (Lin, Lin and Weng's robust variant: a full Newton step can overshoot when the margins nearly separate).
    /// </summary>
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
        double Loss(double a, double b)
        {
            double loss = 0;
            for (var i = 0; i < margins.Count; i++)
            {
                var t = isSpam[i] ? hiTarget : loTarget;
                var z = a * margins[i] + b;
                // log(1 + e^z) - t·z, computed without overflow.
                loss += (z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))) - t * z;
            }

            return loss;
        }

        double a = 1, b = 0;
        var current = Loss(a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h12 = 0;
            for (var i = 0; i < margins.Count; i++)
            {
                var t = isSpam[i] ? hiTarget : loTarget;
                var p = SclMapping.FromLogit(a * margins[i] + b);
                var d = p - t;
                var w = p * (1 - p);
                g1 += d * margins[i];
                g2 += d;
                h11 += w * margins[i] * margins[i];
                h22 += w;
                h12 += w * margins[i];
            }

            var det = h11 * h22 - h12 * h12;
            if (Math.Abs(g1) < 1e-9 && Math.Abs(g2) < 1e-9 || Math.Abs(det) < 1e-300)
            {
                break;
            }

            var da = (h22 * g1 - h12 * g2) / det;
            var db = (h11 * g2 - h12 * g1) / det;
            var step = 1.0;
            var improved = false;
            while (step >= 1e-10)
            {
                var next = Loss(a - step * da, b - step * db);
                if (next <= current - 1e-4 * step * (g1 * da + g2 * db))
                {
                    a -= step * da;
                    b -= step * db;
                    improved = current - next > 1e-12;
                    current = next;
                    break;
                }

                step /= 2;
            }

            if (!improved)
            {
                break;
            }
        }

        return double.IsFinite(a) && double.IsFinite(b) && a > 0 ? new PlattCalibration(a, b) : Identity;
    }
}
