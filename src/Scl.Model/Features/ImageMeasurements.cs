namespace MailGateway.Scl.Model.Features;

/// <summary>
/// How image-heavy a message is. Public because the image-heavy heuristic reuses the same measurements the model
/// sees, so the two cannot disagree about what "an image" or "the text" of a message is.
/// </summary>
public sealed record ImageMeasurements
{
    /// <summary>MIME parts whose content type is <c>image/*</c> (inline or attached).</summary>
    public int ImagePartCount { get; init; }

    /// <summary>Decoded size of those parts in bytes (estimated from the transfer encoding, not decoded).</summary>
    public long ImageBytes { get; init; }

    /// <summary><c>&lt;img&gt;</c> elements whose source is fetched from the network (http, https or protocol-relative).</summary>
    public int RemoteImageCount { get; init; }

    /// <summary><c>&lt;img&gt;</c> elements that point at a MIME part of the message (<c>cid:</c>).</summary>
    public int InlineImageReferenceCount { get; init; }

    /// <summary>Characters of visible text (plain text plus HTML turned into text), counted up to the extraction cap.</summary>
    public int TextLength { get; init; }
}
