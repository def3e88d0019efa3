using MailGateway.Scl.Model.Scoring;

namespace MailGateway.Scl.Model.Training;

/// <summary>The repeats, the SCL meaning table and the confusion over all repeats together.</summary>
public sealed record CrossValidationReport(int Folds, IReadOnlyList<RepeatResult> Repeats, SclMeaning Meaning, Confusion Confusion)
{
    /// <summary>Every file's out-of-fold score in every repeat.</summary>
    public IReadOnlyList<CrossValidationScore> Scores { get; init; } = [];
}
