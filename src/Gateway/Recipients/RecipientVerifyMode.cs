namespace MailGateway.Gateway.Recipients;

/// <summary><c>Recipients:Verify</c>: how a recipient of an accepted domain is known to exist before RCPT is accepted.</summary>
public enum RecipientVerifyMode
{
    /// <summary>Every address of an accepted domain is accepted.</summary>
    None,

    /// <summary>The addresses and domains in <c>Recipients:ListPath</c>.</summary>
    List,

    /// <summary>Asking the next hop (MAIL FROM:&lt;&gt;, RCPT TO), as Postfix's reject_unverified_recipient.</summary>
    Callout,
}
