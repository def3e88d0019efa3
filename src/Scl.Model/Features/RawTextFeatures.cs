using System.Text;

namespace MailGateway.Scl.Model.Features;

/// <summary>Features for bytes MimeKit could not parse: the first bytes read as text, flagged as a parse failure.</summary>
internal static class RawTextFeatures
{
    private const int RawFallbackBytes = 64 * 1024;

    /// <summary>Reads up to 64 KB from <paramref name="start"/> (when the stream can seek back) and measures it as text.</summary>
    public static async Task<MessageFeatures> ReadAsync(Stream stream, long start, string reason, CancellationToken ct)
    {
        var notes = new List<string> { $"mime-parse-failed: {reason}" };
        var raw = "";
        try
        {
            if (stream.CanSeek)
            {
                stream.Position = start;
                var buffer = new byte[RawFallbackBytes];
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                raw = Encoding.Latin1.GetString(buffer, 0, read);
            }
            else
            {
                notes.Add("stream not seekable: scored without text");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            notes.Add($"raw-read-failed: {ex.GetType().Name}");
        }

        var text = new StringBuilder();
        HtmlText.AppendCollapsed(text, raw, FeatureExtractor.MaxTextChars);
        var bodyText = text.ToString();
        var urls = new UrlCollector();
        urls.AddFromText(bodyText);
        return new MessageFeatures
        {
            BodyText = bodyText,
            ParseFailed = true,
            Urls = urls.ToEvidence(),
            Headers = new HeaderEvidence { MissingDate = true, MissingMessageId = true },
            Images = new ImageMeasurements { TextLength = bodyText.Length },
            Notes = notes,
        };
    }
}
