using MimeKit;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Parts whose encoding neither clamd nor the gateway can decode, so their content was never scanned: today BinHex
/// (Content-Transfer-Encoding binhex, binhex40, mac-binhex, mac-binhex40), an obsolete encoding used to slip files past
/// scanners. Refusing them (Antivirus:RejectUnscannable) keeps the rule "nothing is delivered unscanned".
/// </summary>
public static class UnscannableContent
{
    /// <summary>The reason the message holds unscannable content, or null when everything in it could be scanned.</summary>
    public static string? Find(MimeMessage message)
    {
        using var iterator = new MimeIterator(message);
        while (iterator.MoveNext())
        {
            if (iterator.Current is MimePart part
                && part.Headers[HeaderId.ContentTransferEncoding] is { } encoding
                && encoding.Contains("binhex", StringComparison.OrdinalIgnoreCase))
            {
                return $"{encoding.Trim()} transfer encoding";
            }
        }

        return null;
    }
}
