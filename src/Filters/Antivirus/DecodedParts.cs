using MimeKit;
using MimeKit.Encodings;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The MIME parts whose decoded bytes differ from what clamd saw in the raw message: every non-text part and every
/// part with a transfer encoding (base64, quoted-printable, uuencode), found at any depth, message/rfc822 included.
/// </summary>
public static class DecodedParts
{
    public static IEnumerable<MimePart> Of(MimeMessage message)
    {
        using var iterator = new MimeIterator(message);
        while (iterator.MoveNext())
        {
            if (iterator.Current is MimePart { Content: not null } part && NeedsDecodedScan(part))
            {
                yield return part;
            }
        }
    }

    private static bool NeedsDecodedScan(MimePart part) =>
        part is not TextPart
        || part.ContentTransferEncoding is ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UUEncode;
}
