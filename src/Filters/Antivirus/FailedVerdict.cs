namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The message could not be scanned. The gateway answers <c>451 4.7.1</c> or, with Antivirus:OnError=Accept, delivers
/// it with <c>X-Virus-Scanned: skipped (&lt;reason&gt;)</c>.
/// </summary>
/// <param name="Reason">Why the scan failed.</param>
/// <param name="Detail">What happened, for the log (clamd's error text or the exception message); not for mail.</param>
public sealed record FailedVerdict(ScanFailureReason Reason, string Detail) : ScanVerdict
{
    /// <summary>The reason as it appears in the header and the log: <c>unreachable</c>, <c>timeout</c>, ….</summary>
    public string ReasonText => Reason switch
    {
        ScanFailureReason.Unreachable => "unreachable",
        ScanFailureReason.Timeout => "timeout",
        ScanFailureReason.SizeLimitExceeded => "size limit exceeded",
        _ => "error",
    };

    /// <inheritdoc />
    public override string VirusScannedHeaderValue => $"skipped ({ReasonText})";
}
