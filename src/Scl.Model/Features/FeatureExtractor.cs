using System.Text;
using MimeKit;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Measures a message: walks its MIME tree once (<see cref="MimeTreeWalk"/>), measures its header
/// (<see cref="HeaderMeasurements"/>) and its bulk-sending evidence, reads each text part only up to a cap (a 50 MB
/// message costs no more than a small one), and never throws on malformed input; what went wrong becomes a note instead.
/// </summary>
public static class FeatureExtractor
{
    /// <summary>Visible text kept per message; enough for the model, bounded for huge or hostile bodies.</summary>
    public const int MaxTextChars = 32 * 1024;

    /// <summary>HTML characters read per part before conversion.</summary>
    public const int MaxHtmlChars = 256 * 1024;

    /// <summary>URLs counted per message.</summary>
    public const int MaxUrls = 500;

    /// <summary>MIME parts walked per message.</summary>
    internal const int MaxParts = 1000;

    static FeatureExtractor()
    {
        // Legacy charsets (gb2312, koi8-r, windows-1251 ...) are common in spam.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Parses <paramref name="stream"/> with MimeKit and measures it; unparseable input still yields features.</summary>
    /// <returns>The parsed message (null when MimeKit could not parse it) and its features.</returns>
    public static async Task<(MimeMessage? Message, MessageFeatures Features)> ExtractAsync(
        Stream stream, CancellationToken cancellationToken)
    {
        var start = stream.CanSeek ? stream.Position : 0;
        try
        {
            var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            return (message, Extract(message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, await RawTextFeatures.ReadAsync(stream, start, ex.GetType().Name, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Measures an already parsed message (the filter chain parses once and shares it).</summary>
    public static MessageFeatures Extract(MimeMessage message)
    {
        var notes = new List<string>();
        try
        {
            return ExtractCore(message, notes);
        }
        catch (Exception ex)
        {
            // Last line of defence: a MimeKit or HTML-scanning surprise on hostile input must not fail the scorer.
            notes.Add($"feature-extraction-failed: {ex.GetType().Name}");
            return new MessageFeatures { Subject = FilterTags.StripSubjectTags(SafeSubject(message)), Notes = notes };
        }
    }

    private static MessageFeatures ExtractCore(MimeMessage message, List<string> notes)
    {
        var body = MimeTreeWalk.Run(message, notes);
        var bodyText = body.Text;
        if (bodyText.Length == 0)
        {
            notes.Add("no text in message");
        }
        else if (bodyText.Length >= MaxTextChars)
        {
            notes.Add($"text capped at {MaxTextChars} characters");
        }

        var headers = HeaderMeasurements.Measure(message, body.Charsets);
        var unsubscribeLink = body.UnsubscribeLink || BulkEvidence.MentionsUnsubscribe(bodyText);
        return new MessageFeatures
        {
            Subject = FilterTags.StripSubjectTags(SafeSubject(message)),
            BodyText = bodyText,
            HtmlLength = body.HtmlLength,
            HasPlainText = body.HasPlainText,
            HasHtml = body.HasHtml,
            PartCount = body.PartCount,
            MediaTypes = body.MediaTypes,
            TextTransferEncodings = body.TextTransferEncodings,
            Headers = headers,
            Urls = body.Urls.ToEvidence(),
            Attachments = body.Attachments,
            Images = new ImageMeasurements
            {
                ImagePartCount = body.ImagePartCount,
                ImageBytes = body.ImageBytes,
                RemoteImageCount = body.RemoteImageCount,
                InlineImageReferenceCount = body.InlineImageReferenceCount,
                TextLength = bodyText.Length,
            },
            Bulk = BulkEvidence.Measure(message, headers.FromDomain, unsubscribeLink, body.TrackingPixel),
            Notes = notes,
        };
    }

    private static string SafeSubject(MimeMessage message)
    {
        try
        {
            return message.Subject ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    }
}
