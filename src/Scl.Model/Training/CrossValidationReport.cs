using MailGateway.Scl.Model.Scoring;

namespace MailGateway.Scl.Model.Training;

/// <summary>The repeats, the SCL meaning table and the confusion over all repeats together.</summary>
public sealed record CrossValidationReport(int Folds, IReadOnlyList<RepeatResult> Repeats, SclMeaning Meaning, Confusion Confusion);
