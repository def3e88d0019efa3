namespace MailGateway.Filters.Attachments;

/// <summary>The header a delivered message gets when an attachment could not be looked into (OnEncryptedArchive/OnUnscannable=Deliver).</summary>
public static class AttachmentHeaders
{
    /// <summary>X-MailGateway-*: a header of that prefix from outside is removed as the message comes in.</summary>
    public const string Unscanned = "X-MailGateway-Attachment-Unscanned";
}
