namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Everything the SCL model measures on one message. Built by <see cref="FeatureExtractor"/>; immutable, so other
/// filters of the chain can read it without re-parsing the message.
/// </summary>
public sealed record MessageFeatures
{
    /// <summary>The decoded Subject without other filters' verdict tags (<see cref="FilterTags.StripSubjectTags"/>), or empty.</summary>
    public string Subject { get; init; } = "";

    /// <summary>Visible text: decoded text/plain parts and text/html parts turned into text, capped at <see cref="FeatureExtractor.MaxTextChars"/>.</summary>
    public string BodyText { get; init; } = "";

    /// <summary>Characters of HTML read from text/html parts (before conversion), capped.</summary>
    public int HtmlLength { get; init; }

    /// <summary>At least one text/plain body part.</summary>
    public bool HasPlainText { get; init; }

    /// <summary>At least one text/html body part.</summary>
    public bool HasHtml { get; init; }

    /// <summary>Number of MIME leaf parts.</summary>
    public int PartCount { get; init; }

    /// <summary>Lower-case <c>type/subtype</c> of each leaf part, capped.</summary>
    public IReadOnlyList<string> MediaTypes { get; init; } = Array.Empty<string>();

    /// <summary>Lower-case Content-Transfer-Encoding names of the text parts.</summary>
    public IReadOnlyList<string> TextTransferEncodings { get; init; } = Array.Empty<string>();

    /// <summary>Header evidence (sender disagreement, hops, mailer, missing headers, charsets).</summary>
    public HeaderEvidence Headers { get; init; } = new();

    /// <summary>Links and their domains.</summary>
    public UrlEvidence Urls { get; init; } = new();

    /// <summary>Parts shown as attachments.</summary>
    public IReadOnlyList<AttachmentInfo> Attachments { get; init; } = Array.Empty<AttachmentInfo>();

    /// <summary>Image measurements, shared with the image-heavy heuristic.</summary>
    public ImageMeasurements Images { get; init; } = new();

    /// <summary>Bulk-sending evidence and its Bulk Complaint Level, shared with the bulk stage of the filter chain.</summary>
    public BulkEvidence Bulk { get; init; } = new();

    /// <summary>MIME parsing failed; the features come from whatever raw bytes could be read.</summary>
    public bool ParseFailed { get; init; }

    /// <summary>What was unusual while measuring (parse failures, unreadable parts, caps hit), for the trace.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}
