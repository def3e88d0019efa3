namespace MailGateway.Filters.Dns;

/// <summary>How a lookup ended. Only <see cref="TemporaryFailure"/> means "don't know": a stage turns it into a 4xx or "no verdict", never a 5xx.</summary>
public enum DnsLookupStatus
{
    /// <summary>The name has records of the type asked for.</summary>
    Found,

    /// <summary>NXDOMAIN, or the name exists without records of that type.</summary>
    NotFound,

    /// <summary>Timeout, SERVFAIL, REFUSED, a network error: try again later.</summary>
    TemporaryFailure,
}
