namespace MailGateway.Scl.Model.Features;

/// <summary>What the header block says about where a message claims to come from and how it was made.</summary>
public sealed record HeaderEvidence
{
    /// <summary>Lower-case domain of the first From mailbox, or empty.</summary>
    public string FromDomain { get; init; } = "";

    /// <summary>Lower-case domain of the first Reply-To mailbox, or empty.</summary>
    public string ReplyToDomain { get; init; } = "";

    /// <summary>Lower-case domain of the Return-Path address, or empty.</summary>
    public string ReturnPathDomain { get; init; } = "";

    /// <summary>Reply-To is present and names another domain than From: replies go somewhere else.</summary>
    public bool ReplyToDiffersFromFrom { get; init; }

    /// <summary>Return-Path is present and names another domain than From (normal for lists, common for spam).</summary>
    public bool ReturnPathDiffersFromFrom { get; init; }

    /// <summary>
    /// Number of Received headers (hops), not counting hops inside a private network (<see cref="FilterTags.IsInternalHop"/>):
    /// those are the receiving side's own relays and filters.
    /// </summary>
    public int ReceivedCount { get; init; }

    /// <summary>
    /// What the Received headers (outside the private network) say about the hosts that handed the message on,
    /// from their <c>from HELO (rdns [ip])</c> clause: <c>helo-ip</c> (a host that greeted with a bare address),
    /// <c>no-rdns</c> (an address without a host name), <c>ip-in-rdns</c> (a host name built from its address, as
    /// access providers name dial-up, DSL and cable customers), <c>helo-word</c> (greeted with a word that is no host
    /// name), <c>may-be-forged</c> (the receiving host's own doubt). Distinct, in the order of
    /// <see cref="ReceivedHop.FlagOrder"/>.
    /// </summary>
    public IReadOnlyList<string> RelayHostFlags { get; init; } = Array.Empty<string>();

    /// <summary>
    /// What the Date, From and To headers say about how the message was written (<see cref="SenderEvidence.Flags"/>):
    /// <c>date:future</c>, <c>from:local-digits</c>, <c>to:undisclosed</c> ...
    /// </summary>
    public IReadOnlyList<string> SenderFlags { get; init; } = Array.Empty<string>();

    /// <summary>The first word of X-Mailer or User-Agent, lower-case, or empty.</summary>
    public string Mailer { get; init; } = "";

    /// <summary>
    /// The product name of X-Mailer or User-Agent: its words up to the first one with a digit (the version), at most
    /// four, lower-case, joined by '-' (<c>microsoft-outlook-express</c>, <c>microsoft-cdo-for-windows</c>), or empty.
    /// The first word alone cannot tell a mail client from a bulk-mail library of the same vendor.
    /// </summary>
    public string MailerProduct { get; init; } = "";

    /// <summary>Lower-case domain (right-hand side) of the Message-ID, or empty: who says they made the message.</summary>
    public string MessageIdDomain { get; init; } = "";

    /// <summary>No Date header: real clients always write one.</summary>
    public bool MissingDate { get; init; }

    /// <summary>No Message-ID header.</summary>
    public bool MissingMessageId { get; init; }

    /// <summary>The Subject is an RFC 2047 encoded word (<c>=?charset?...</c>).</summary>
    public bool EncodedWordSubject { get; init; }

    /// <summary>
    /// Which of a fixed list of telling headers are present (list and reply headers, priority, organisation...),
    /// lower-case, with the value for Precedence and X-Priority. A fixed list on purpose: arbitrary header names
    /// include other filters' verdicts (X-Spam-Status, X-Barracuda-*) and collection artefacts.
    /// </summary>
    public IReadOnlyList<string> NotableHeaders { get; init; } = Array.Empty<string>();

    /// <summary>Lower-case charsets declared by the text parts and encoded words.</summary>
    public IReadOnlyList<string> Charsets { get; init; } = Array.Empty<string>();
}
