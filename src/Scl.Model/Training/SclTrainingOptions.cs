namespace MailGateway.Scl.Model.Training;

/// <summary>Which learner family to train.</summary>
public enum SclLearner
{
    /// <summary>Try Linear, Trees and Ensemble; keep the one with the best validation AUC.</summary>
    Auto,

    /// <summary>L-BFGS logistic regression over the hashed n-grams and numeric features.</summary>
    Linear,

    /// <summary>LightGBM gradient-boosted trees over the same features.</summary>
    Trees,

    /// <summary>Both, their margins (both on the log-odds scale of a logistic loss) in a weighted sum chosen out of fold.</summary>
    Ensemble,
}

/// <summary>How <see cref="SclTrainer"/> trains.</summary>
public sealed record SclTrainingOptions
{
    /// <summary>Seeds ML.NET and LightGBM; the same files and seed give the same model.</summary>
    public int Seed { get; init; } = 42;

    public SclLearner Learner { get; init; } = SclLearner.Auto;

    /// <summary>Cross-validation folds for the out-of-fold scores that calibrate and choose the SCL cut points.</summary>
    public int Folds { get; init; } = 3;

    /// <summary>Below this many messages of either class, no cross-validation: identity calibration and the default mapping.</summary>
    public int MinimumPerClassForCalibration { get; init; } = 50;

    /// <summary>LightGBM boosting rounds.</summary>
    public int TreeIterations { get; init; } = 400;

    /// <summary>LightGBM leaves per tree.</summary>
    public int TreeLeaves { get; init; } = 31;

    /// <summary>LightGBM learning rate (shrinkage of each tree).</summary>
    public double TreeLearningRate { get; init; } = 0.05;

    /// <summary>LightGBM: a leaf holds at least this many training messages.</summary>
    public int TreeMinimumPerLeaf { get; init; } = 10;

    /// <summary>The tree learner reads only feature slots non-zero in at least this many training messages.</summary>
    public int TreeMinimumSlotCount { get; init; } = 10;
}
