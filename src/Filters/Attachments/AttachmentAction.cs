namespace MailGateway.Filters.Attachments;

/// <summary>What the attachment policy does with a message it has a verdict on (<c>Attachments:Action</c> and the others).</summary>
public enum AttachmentAction
{
    /// <summary>Deliver it as its SCL says (allowed only for the encrypted and unscannable verdicts).</summary>
    Deliver,

    /// <summary>Refuse it at the end of DATA with <c>554 5.7.1</c>; nothing is stored.</summary>
    Reject,

    /// <summary>Accept it (250) and keep it in the archive only, where an administrator may release it.</summary>
    Archive,
}
