namespace MailGateway.Scl.Model.Features;

/// <summary>The links in a message's text and HTML.</summary>
public sealed record UrlEvidence
{
    /// <summary>URLs found (plain-text URLs and HTML <c>href</c>s), counted up to a cap.</summary>
    public int Count { get; init; }

    /// <summary>Distinct lower-case host names of those URLs, in order of appearance, capped.</summary>
    public IReadOnlyList<string> Domains { get; init; } = Array.Empty<string>();

    /// <summary>URLs whose host is a numeric IP address.</summary>
    public int IpLiteralCount { get; init; }
}
