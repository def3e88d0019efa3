namespace MailGateway.Filters.Antivirus;

/// <summary>The kinds of answer clamd gives to a scan.</summary>
public enum ClamdReplyStatus
{
    /// <summary><c>stream: OK</c>.</summary>
    Clean,

    /// <summary><c>stream: &lt;Signature&gt; FOUND</c>.</summary>
    Infected,

    /// <summary><c>INSTREAM size limit exceeded. ERROR</c>: the message is larger than clamd's StreamMaxLength.</summary>
    SizeLimitExceeded,

    /// <summary>Any <c>... ERROR</c> reply, or a reply this client does not understand.</summary>
    Error,
}
