namespace MailGateway.Filters.Images;

/// <summary>The <c>Images</c> section: when a message counts as image-heavy and how much that raises its SCL.</summary>
public sealed class ImageHeuristicOptions
{
    public const string Section = "Images";

    public bool Enabled { get; set; } = true;

    /// <summary>Added to the SCL of an image-heavy message (capped at 9).</summary>
    public int SclBoost { get; set; } = 2;

    /// <summary>A message with images and less visible text than this is image-only.</summary>
    public int MaxTextChars { get; set; } = 300;

    /// <summary>Also image-heavy: more image bytes than this many per character of text.</summary>
    public int ImageBytesPerTextChar { get; set; } = 100;
}
