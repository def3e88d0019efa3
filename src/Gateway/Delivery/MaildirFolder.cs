namespace MailGateway.Gateway.Delivery;

/// <summary>Which folder of a recipient's Maildir a message is delivered to.</summary>
public enum MaildirFolder
{
    /// <summary><c>&lt;root&gt;/mail/&lt;address&gt;/{tmp,new,cur}</c>.</summary>
    Inbox,

    /// <summary><c>&lt;root&gt;/mail/&lt;address&gt;/.Junk/{tmp,new,cur}</c> (Maildir++ sub-folder).</summary>
    Junk,
}
