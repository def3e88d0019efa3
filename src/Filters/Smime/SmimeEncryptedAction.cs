namespace MailGateway.Filters.Smime;

/// <summary>What happens to S/MIME encrypted mail (enveloped pkcs7-mime), whose content no filter can read (<c>Smime:OnEncrypted</c>).</summary>
public enum SmimeEncryptedAction
{
    /// <summary>Deliver it as its SCL says, with an <c>X-MailGateway-Smime</c> header saying it was not scanned.</summary>
    Deliver,

    /// <summary>Keep it in the archive only (250).</summary>
    Archive,

    /// <summary>Refuse it at the end of DATA with 554 5.7.1.</summary>
    Reject,
}
