namespace MailGateway.Filters.Smime;

/// <summary>
/// The <c>Smime</c> section: S/MIME signatures are verified against a trust store and recorded (trace,
/// Authentication-Results <c>smime=</c>); encrypted mail is reported as not scannable and handled by
/// <see cref="OnEncrypted"/>. The stage never changes a message's bytes, so a signature reaches the mailbox or the
/// next hop as it came.
/// </summary>
public sealed class SmimeOptions
{
    public const string Section = "Smime";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A folder of PEM certificates (any file names; several certificates per file allowed) whose certificates are the
    /// trust anchors a signer's chain must end in; relative paths are under the config folder. Read at start. Debian's
    /// public CA folder by default, as a mail client would trust; a folder that does not exist trusts nobody (every
    /// signature is then <c>smime=fail</c>, untrusted).
    /// </summary>
    public string TrustStore { get; set; } = "/etc/ssl/certs";

    public SmimeEncryptedAction OnEncrypted { get; set; } = SmimeEncryptedAction.Deliver;

    /// <summary>Signatures checked per message (each signer of a multipart/signed or signed-data counts one).</summary>
    public int MaxSignatures { get; set; } = 5;
}
