using System.Globalization;

namespace MailGateway.Gateway.Configuration;

/// <summary>Syntax of domain names as SMTP uses them (RFC 5321 Domain, with U-labels allowed for SMTPUTF8).</summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static bool IsValid(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > 253)
        {
            return false;
        }

        try
        {
            var ascii = Idn.GetAscii(domain.TrimEnd('.'));
            return ascii.Split('.').All(l => l.Length is > 0 and <= 63);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The form used for comparison and for mailbox folder names: lower case, no trailing dot.</summary>
    public static string Normalize(string domain) => domain.TrimEnd('.').ToLowerInvariant();
}
