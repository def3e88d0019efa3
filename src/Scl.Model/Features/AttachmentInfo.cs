namespace MailGateway.Scl.Model.Features;

/// <summary>One part a mail client would show as an attachment.</summary>
/// <param name="FileName">The declared file name, or empty when there is none.</param>
/// <param name="Extension">The lower-case extension without the dot, or empty.</param>
/// <param name="MediaType">The lower-case <c>type/subtype</c> of the part.</param>
/// <param name="Bytes">The decoded size in bytes (estimated from the transfer encoding).</param>
public sealed record AttachmentInfo(string FileName, string Extension, string MediaType, long Bytes);
