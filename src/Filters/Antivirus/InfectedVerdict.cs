namespace MailGateway.Filters.Antivirus;

/// <summary>
/// clamd found a signature. The gateway rejects the message with
/// <c>554 5.7.1 message rejected: virus found (&lt;signature&gt;)</c> or archives it, as Antivirus:OnInfected says.
/// </summary>
public sealed record InfectedVerdict : ScanVerdict
{
    /// <summary>Creates the verdict; the signature is made safe for an SMTP reply line.</summary>
    public InfectedVerdict(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Signature = Sanitize(signature);
    }

    /// <summary>The signature clamd named, e.g. <c>Eicar-Test-Signature.UNOFFICIAL</c> (printable ASCII).</summary>
    public string Signature { get; }

    /// <inheritdoc />
    public override string VirusScannedHeaderValue => $"infected ({Signature})";
}
