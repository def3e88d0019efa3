namespace MailGateway.Scl.Model.Training;

/// <summary>
/// One file in one repeat of the cross-validation: its fold, its calibrated log-odds and SCL (calibration and cut
/// points fitted on the other folds), and the highest of the other folds' ham under that calibration.
/// </summary>
public sealed record CrossValidationScore(string Path, bool IsSpam, int Seed, int Fold, double LogOdds, double HighestOtherHam, int Scl);
