using System.Text;
using MimeKit;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// One walk over a message's MIME parts: the visible text of its text parts (up to
/// <see cref="FeatureExtractor.MaxTextChars"/>), their media types, transfer encodings and charsets, the links and
/// images of its HTML, and its image and attachment parts.
/// </summary>
internal sealed class MimeTreeWalk
{
    private readonly StringBuilder _text = new();

    private MimeTreeWalk()
    {
    }

    /// <summary>The visible text collected (only set once the walk is done).</summary>
    public string Text { get; private set; } = "";

    public UrlCollector Urls { get; } = new();

    public List<string> MediaTypes { get; } = [];

    public List<string> TextTransferEncodings { get; } = [];

    /// <summary>The text parts' charsets; the header measurements add the encoded subject's.</summary>
    public List<string> Charsets { get; } = [];

    public List<AttachmentInfo> Attachments { get; } = [];

    public int PartCount { get; private set; }

    public int ImagePartCount { get; private set; }

    public long ImageBytes { get; private set; }

    public int RemoteImageCount { get; private set; }

    public int InlineImageReferenceCount { get; private set; }

    public int HtmlLength { get; private set; }

    public bool HasPlainText { get; private set; }

    public bool HasHtml { get; private set; }

    public bool TrackingPixel { get; private set; }

    /// <summary>An href of the HTML names an unsubscribe or opt-out page (the text is checked by the caller).</summary>
    public bool UnsubscribeLink { get; private set; }

    /// <summary>Walks <paramref name="message"/>'s body parts (at most <see cref="FeatureExtractor.MaxParts"/>).</summary>
    public static MimeTreeWalk Run(MimeMessage message, List<string> notes)
    {
        var walk = new MimeTreeWalk();
        foreach (var entity in message.BodyParts)
        {
            if (++walk.PartCount > FeatureExtractor.MaxParts)
            {
                notes.Add($"more than {FeatureExtractor.MaxParts} MIME parts: the rest not measured");
                break;
            }

            walk.Visit(entity, notes);
        }

        walk.Text = walk._text.ToString();
        walk.Urls.AddFromText(walk.Text);
        return walk;
    }

    private void Visit(MimeEntity entity, List<string> notes)
    {
        var contentType = entity.ContentType;
        var mediaType = $"{contentType.MediaType}/{contentType.MediaSubtype}".ToLowerInvariant();
        if (MediaTypes.Count < 50)
        {
            MediaTypes.Add(mediaType);
        }

        if (entity is not MimePart part)
        {
            return;
        }

        if (VisibleText.IsShown(part))
        {
            VisitText(part, notes);
            return;
        }

        var bytes = EstimateDecodedBytes(part);
        var isImage = contentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase);
        if (isImage)
        {
            ImagePartCount++;
            ImageBytes += bytes;
        }

        var fileName = SafeFileName(part);
        if (part.IsAttachment || fileName.Length > 0 || !isImage)
        {
            Attachments.Add(new AttachmentInfo(fileName, ExtensionOf(fileName), mediaType, bytes));
        }
    }

    private void VisitText(MimePart part, List<string> notes)
    {
        var isHtml = VisibleText.IsHtml(part);
        HasHtml |= isHtml;
        HasPlainText |= !isHtml;
        DistinctList.Add(TextTransferEncodings, part.ContentTransferEncoding.ToString().ToLowerInvariant());
        if (part.ContentType.Charset is { Length: > 0 } cs)
        {
            DistinctList.Add(Charsets, cs.Trim().ToLowerInvariant());
        }

        if (_text.Length >= FeatureExtractor.MaxTextChars)
        {
            return;
        }

        var (partHtmlLength, html, pixel) = VisibleText.AppendPart(_text, part, isHtml, FeatureExtractor.MaxTextChars, notes);
        HtmlLength += partHtmlLength;
        TrackingPixel |= pixel;
        if (html is null)
        {
            return;
        }

        RemoteImageCount += html.RemoteImages;
        InlineImageReferenceCount += html.InlineImages;
        foreach (var href in html.Hrefs)
        {
            Urls.AddUrl(href);
            UnsubscribeLink |= BulkEvidence.MentionsUnsubscribe(href);
        }
    }

    private static long EstimateDecodedBytes(MimePart part)
    {
        try
        {
            var stream = part.Content?.Stream;
            if (stream is null || !stream.CanSeek)
            {
                return 0;
            }

            return part.ContentTransferEncoding == ContentEncoding.Base64 ? stream.Length * 3 / 4 : stream.Length;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    private static string SafeFileName(MimePart part)
    {
        try
        {
            return part.FileName?.Trim() ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    }

    private static string ExtensionOf(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot < 0 || dot == fileName.Length - 1)
        {
            return "";
        }

        var ext = fileName[(dot + 1)..].ToLowerInvariant();
        return ext.Length <= 10 && ext.All(char.IsAsciiLetterOrDigit) ? ext : "";
    }
}
