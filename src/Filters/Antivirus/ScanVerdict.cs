namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The antivirus stage's answer for one message: <see cref="CleanVerdict"/>, <see cref="InfectedVerdict"/> or
/// <see cref="FailedVerdict"/>. The gateway maps it to an SMTP reply and, for delivered mail, to the
/// <c>X-Virus-Scanned</c> header given by <see cref="VirusScannedHeaderValue"/>.
/// </summary>
public abstract record ScanVerdict
{
    private protected ScanVerdict()
    {
    }

    /// <summary>The value of <see cref="AntivirusHeaders.VirusScanned"/> that describes this verdict.</summary>
    public abstract string VirusScannedHeaderValue { get; }

    /// <summary>Makes text safe for a header or an SMTP reply line: printable ASCII only, bounded length.</summary>
    internal static string Sanitize(string text, int maxLength = 200)
    {
        var chars = text.Length <= maxLength ? text.ToCharArray() : text[..maxLength].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is < ' ' or > '~')
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}
