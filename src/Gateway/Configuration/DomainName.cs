using System.Globalization;

namespace MailGateway.Gateway.Configuration;

/// <summary>Syntax of domain names as SMTP uses them (RFC 5321 Domain, with U-labels allowed for SMTPUTF8).</summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>A domain name, with at most one trailing dot (the root), whose IDNA form has only valid labels.</summary>
    public static bool IsValid(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > 253)
        {
            return false;
        }

        try
        {
            var ascii = Idn.GetAscii(WithoutRootDot(domain));
            return ascii.Length <= 253 && ascii.Split('.').All(l => l.Length is > 0 and <= 63);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The one form used for comparison, folder names and routes: without the root's trailing dot, IDNA-mapped
    /// (full-width and ideographic dots become '.', letters are case-folded and NFC-normalised) and shown in
    /// U-labels, so <c>Example。ORG.</c> and <c>example.org</c> are one domain. An address literal is only
    /// lower-cased; a name IDNA refuses is only lower-cased (the syntax check refuses it elsewhere).
    /// </summary>
    public static string Normalize(string domain)
    {
        var trimmed = WithoutRootDot(domain);
        if (trimmed.StartsWith('['))
        {
            return trimmed.ToLowerInvariant();
        }

        try
        {
            return Idn.GetUnicode(Idn.GetAscii(trimmed)).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return trimmed.ToLowerInvariant();
        }
    }

    private static string WithoutRootDot(string domain) => domain.EndsWith('.') ? domain[..^1] : domain;
}
