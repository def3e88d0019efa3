namespace MailGateway.Filters.Antivirus;

/// <summary>clamd found nothing; the message is delivered with <c>X-Virus-Scanned: ClamAV &lt;version&gt;</c>.</summary>
/// <param name="EngineVersion">The clamd engine and database version that scanned it.</param>
public sealed record CleanVerdict(ClamdVersion EngineVersion) : ScanVerdict
{
    /// <inheritdoc />
    public override string VirusScannedHeaderValue => Sanitize(EngineVersion.ToString());
}
