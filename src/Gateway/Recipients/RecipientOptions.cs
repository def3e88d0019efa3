namespace MailGateway.Gateway.Recipients;

/// <summary>The <c>Recipients</c> section: recipient verification at RCPT time.</summary>
public sealed class RecipientOptions
{
    public const string Section = "Recipients";

    /// <summary>None, List or Callout; unset means Callout in relay mode and None in Maildir mode.</summary>
    public RecipientVerifyMode? Verify { get; set; }

    /// <summary>The list for <c>Verify=List</c>, relative to the config folder: one address or <c>@domain</c> a line.</summary>
    public string ListPath { get; set; } = "recipients.txt";

    /// <summary>How long a recipient the next hop accepted stays known (Postfix: address_verify_positive_expire_time).</summary>
    public int CalloutPositiveSeconds { get; set; } = 86_400;

    /// <summary>How long a recipient the next hop refused stays refused (address_verify_negative_expire_time).</summary>
    public int CalloutNegativeSeconds { get; set; } = 3_600;

    /// <summary>Connect and per-command time for a callout; past it the recipient gets 450 and the client retries.</summary>
    public int CalloutTimeoutSeconds { get; set; } = 10;

    /// <summary>Verify, with its default for the delivery mode applied.</summary>
    public RecipientVerifyMode EffectiveVerify(bool relayMode) =>
        Verify ?? (relayMode ? RecipientVerifyMode.Callout : RecipientVerifyMode.None);
}
