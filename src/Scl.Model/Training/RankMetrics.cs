namespace MailGateway.Scl.Model.Training;

/// <summary>AUC and spam recall at FPR &lt;= 0.1%, 0.5% and 1% (in that order).</summary>
public sealed record RankMetrics(double Auc, double[] RecallAtFpr);
