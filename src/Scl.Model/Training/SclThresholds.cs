namespace MailGateway.Scl.Model.Training;

/// <summary>The SCL thresholds the gateway routes by (Exchange style; 10 = off).</summary>
public sealed record SclThresholds(int Junk, int Archive, int Reject)
{
    public string Route(int scl) => scl >= Reject ? "reject" : scl >= Archive ? "archive" : scl >= Junk ? "junk" : "inbox";
}
