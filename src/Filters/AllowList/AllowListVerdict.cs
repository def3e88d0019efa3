namespace MailGateway.Filters.AllowList;

/// <summary>What the allow- and block-lists say about a message.</summary>
public enum AllowListVerdict
{
    /// <summary>No rule matched: the message goes through the filters as usual.</summary>
    None,

    /// <summary>An allow rule matched and no block rule did: SCL -1, spam filters skipped, antivirus still runs.</summary>
    Allowed,

    /// <summary>A block rule matched: refused with <c>550 5.7.1</c> (block wins over allow).</summary>
    Blocked,
}
