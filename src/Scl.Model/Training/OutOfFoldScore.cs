namespace MailGateway.Scl.Model.Training;

/// <summary>One training file's out-of-fold margin under each candidate learner (<see cref="SclTrainer.CrossValidate"/>).</summary>
public sealed record OutOfFoldScore(string Path, bool IsSpam, IReadOnlyDictionary<SclLearner, double> Margins);
