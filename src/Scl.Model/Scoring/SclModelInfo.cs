namespace MailGateway.Scl.Model.Scoring;

/// <summary>What a model file says about itself (stored as <c>scl.json</c> beside the ML.NET model in the file).</summary>
public sealed record SclModelInfo
{
    /// <summary>Bumped when the features or the file layout change; older files are refused.</summary>
    public const int CurrentFormatVersion = 5;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The learner that won on validation and was trained on all training data.</summary>
    public string Learner { get; init; } = "";

    public int Seed { get; init; }

    public int TrainingSpam { get; init; }

    public int TrainingHam { get; init; }

    /// <summary>
    /// The margin is the sum of each member learner's margin times its weight (Ensemble: Linear, Trees), chosen on
    /// out-of-fold training scores.
    /// </summary>
    public double[] MemberWeights { get; init; } = [1.0];

    public double CalibrationA { get; init; } = 1;

    public double CalibrationB { get; init; }

    /// <summary>c1..c9 of the <see cref="SclMapping"/> (calibrated log-odds).</summary>
    public double[] CutPoints { get; init; } = SclMapping.Default.CutPoints.ToArray();

    /// <summary>
    /// What each SCL 1..9 means for this model: the share of the training ham at or above it, out of fold (scored by
    /// learners that had not seen it). Empty for models trained on too little mail to cross-validate.
    /// </summary>
    public double[] OutOfFoldHamAtOrAbove { get; init; } = [];

    /// <summary>The share of the training spam at or above each SCL 1..9, out of fold.</summary>
    public double[] OutOfFoldSpamAtOrAbove { get; init; } = [];

    /// <summary>How each learner scored on validation when the model was trained.</summary>
    public LearnerResult[] Candidates { get; init; } = Array.Empty<LearnerResult>();
}

/// <summary>One learner's validation figures from training.</summary>
public sealed record LearnerResult
{
    public string Learner { get; init; } = "";

    /// <summary>Where the figures come from ("validation", or "cross-validation": out-of-fold on the training files).</summary>
    public string On { get; init; } = "";

    public int N { get; init; }

    public double Auc { get; init; }

    public double RecallAtFpr01Percent { get; init; }

    public double RecallAtFpr1Percent { get; init; }

    public double TrainSeconds { get; init; }
}
