using MimeKit;

namespace MailGateway.Scl.Model.Features;

/// <summary>Domain helpers of the features: an address's or Message-ID's domain, and whether two are one organisation.</summary>
internal static class DomainNames
{
    /// <summary>The mailbox's domain, lower-case without a trailing dot, or empty.</summary>
    public static string Of(MailboxAddress? mailbox)
    {
        try
        {
            return mailbox?.Domain?.Trim().TrimEnd('.').ToLowerInvariant() ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    }

    /// <summary>The lower-case right-hand side of a Message-ID (<c>&lt;local@domain&gt;</c>), or empty.</summary>
    public static string OfMessageId(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return "";
        }

        var id = messageId.Trim().TrimStart('<').TrimEnd('>');
        var at = id.LastIndexOf('@');
        if (at < 0 || at == id.Length - 1)
        {
            return "";
        }

        var domain = id[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
        return domain.Length <= 100 && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? domain : "";
    }

    /// <summary>Same registered domain, roughly: the last two labels agree (mail.example.com ~ example.com).</summary>
    public static bool SameOrganisation(string a, string b) =>
        string.Equals(LastLabels(a, 2), LastLabels(b, 2), StringComparison.OrdinalIgnoreCase);

    /// <summary>The last <paramref name="count"/> labels of <paramref name="host"/> (all of it when it has fewer).</summary>
    public static string LastLabels(string host, int count)
    {
        var end = host.Length;
        var index = host.Length;
        for (var i = 0; i < count; i++)
        {
            index = host.LastIndexOf('.', index - 1 < 0 ? 0 : index - 1);
            if (index <= 0)
            {
                return host;
            }
        }

        return host[(index + 1)..end];
    }
}
