namespace MailGateway.Filters.Chain;

/// <summary>
/// <c>Filters:MimeLimits</c>: how much MIME structure a message may have before it is parsed, and what happens to one
/// with more (<see cref="MimeStructureScanner"/> counts it in a streaming pass; MimeKit's tree of 400,000 parts cost
/// 650 MB).
/// </summary>
public sealed class MimeLimitsOptions
{
    /// <summary>MIME entities per message, the message itself included (multiparts, leaves, embedded messages).</summary>
    public int MaxParts { get; set; } = 10_000;

    /// <summary>Nesting of multiparts and embedded messages (Postfix's <c>mime_nesting_limit</c> is 100 too).</summary>
    public int MaxDepth { get; set; } = 100;

    /// <summary>What happens to a message over a limit.</summary>
    public MimeLimitsAction Action { get; set; } = MimeLimitsAction.Reject;
}
