namespace MailGateway.Filters.AllowList;

/// <summary>What a rule compares.</summary>
public enum AllowListRuleKind
{
    /// <summary>A whole sender address, or <c>&lt;&gt;</c> for the null sender.</summary>
    SenderAddress,

    /// <summary>The sender's domain exactly (<c>example.com</c>).</summary>
    SenderDomain,

    /// <summary>Any subdomain of a domain, at any depth, not the domain itself (<c>*.example.com</c>).</summary>
    SenderSubdomains,

    /// <summary>The client's IP address, one address or a CIDR network.</summary>
    ClientNetwork,
}
