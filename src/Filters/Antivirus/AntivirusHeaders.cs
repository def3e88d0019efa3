namespace MailGateway.Filters.Antivirus;

/// <summary>Header names the antivirus stage adds to messages it lets through or archives.</summary>
public static class AntivirusHeaders
{
    /// <summary>On every delivered message: <c>ClamAV 1.4.6/27500</c> or <c>skipped (timeout)</c>.</summary>
    public const string VirusScanned = "X-Virus-Scanned";

    /// <summary>On archived infected messages: the signature clamd named.</summary>
    public const string VirusFound = "X-Virus-Found";
}
