namespace MailGateway.Scl.Model.Training;

/// <summary>A message file with its label and the set it came from (for per-set reports).</summary>
public sealed record LabeledFile(string Path, bool IsSpam, string Set);
