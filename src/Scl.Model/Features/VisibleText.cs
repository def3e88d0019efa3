using System.Text;
using MimeKit;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// The text a mail client shows: every text part that is not an attachment, in order, HTML alternatives included
/// (turned into visible text by <see cref="HtmlText"/>'s linear scan), white space collapsed. The one extractor of the
/// model (<see cref="FeatureExtractor"/>, capped at <see cref="FeatureExtractor.MaxTextChars"/>) and the keyword filter
/// (with its own cap), so a phrase counts wherever a reader would see it. Never throws on malformed parts: what cannot
/// be read is left out and noted.
/// </summary>
public static class VisibleText
{
    static VisibleText()
    {
        // Legacy charsets (gb2312, koi8-r, windows-1251 ...), as for the model.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>The visible text of <paramref name="message"/>, at most <paramref name="maxChars"/> characters (plus a separator).</summary>
    /// <param name="message">A parsed message.</param>
    /// <param name="maxChars">Cap on the text: bounded work and memory for a huge or hostile body.</param>
    public static string Of(MimeMessage message, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder();
        var notes = new List<string>();
        var parts = 0;
        foreach (var entity in message.BodyParts)
        {
            if (++parts > FeatureExtractor.MaxParts || text.Length >= maxChars)
            {
                break;
            }

            if (entity is MimePart part && IsShown(part))
            {
                try
                {
                    AppendPart(text, part, IsHtml(part), maxChars, notes);
                }
                catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
                {
                    // A header MimeKit cannot make sense of: this part's text is left out, the others still count.
                }
            }
        }

        return text.ToString();
    }

    /// <summary>A part whose text a client shows: text/* and not an attachment.</summary>
    internal static bool IsShown(MimePart part) => part is TextPart && !part.IsAttachment;

    internal static bool IsHtml(MimePart part) => part.ContentType.IsMimeType("text", "html");

    /// <summary>
    /// Appends one shown part's text, separated from what is before it by a space. A plain part is read up to the room
    /// left; an HTML part up to <see cref="FeatureExtractor.MaxHtmlChars"/> characters of markup.
    /// </summary>
    /// <returns>
    /// How many characters of HTML were read (0 for plain text), the HTML's links and images, if HTML, and whether
    /// one of its remote images is a tracking pixel (bulk evidence).
    /// </returns>
    internal static (int HtmlLength, HtmlText.Result? Html, bool TrackingPixel) AppendPart(StringBuilder text, MimePart part,
        bool isHtml, int maxChars, List<string> notes)
    {
        var budget = isHtml ? FeatureExtractor.MaxHtmlChars : maxChars - text.Length;
        var content = ReadDecodedText(part, budget, notes);
        if (!isHtml)
        {
            Separate(text);
            HtmlText.AppendCollapsed(text, content, maxChars);
            return (0, null, false);
        }

        try
        {
            var html = HtmlText.Convert(content, maxChars - text.Length);
            Separate(text);
            text.Append(html.Text);
            return (content.Length, html, html.RemoteImages > 0 && BulkEvidence.HasTrackingPixel(content));
        }
        catch (Exception ex)
        {
            notes.Add($"html-unreadable: {ex.GetType().Name}");
            return (content.Length, null, false);
        }
    }

    private static void Separate(StringBuilder text)
    {
        if (text.Length > 0 && text[^1] != ' ')
        {
            text.Append(' ');
        }
    }

    private static string ReadDecodedText(MimePart part, int maxChars, List<string> notes)
    {
        if (part.Content is null || maxChars <= 0)
        {
            return "";
        }

        try
        {
            using var decoded = part.Content.Open();
            using var reader = new StreamReader(decoded, EncodingOf(part.ContentType.Charset), detectEncodingFromByteOrderMarks: true, bufferSize: 4096);
            var buffer = new char[Math.Min(maxChars, 16 * 1024)];
            var result = new StringBuilder();
            int read;
            while (result.Length < maxChars && (read = reader.Read(buffer, 0, Math.Min(buffer.Length, maxChars - result.Length))) > 0)
            {
                result.Append(buffer, 0, read);
            }

            return result.ToString();
        }
        catch (Exception ex)
        {
            notes.Add($"text-part-unreadable: {ex.GetType().Name}");
            return "";
        }
    }

    private static Encoding EncodingOf(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return Encoding.Latin1;
        }

        try
        {
            return Encoding.GetEncoding(charset.Trim().Trim('"'));
        }
        catch (Exception)
        {
            return Encoding.Latin1;
        }
    }
}
