namespace MailGateway.Gateway.Dnsbl;

/// <summary>One DNS list: its zone, the weight a listing adds, and optionally the only return codes that count.</summary>
public sealed class DnsListZone
{
    /// <summary>The list's zone, e.g. <c>zen.spamhaus.org</c>.</summary>
    public string Zone { get; set; } = "";

    /// <summary>Added to the client's score when it is listed (postscreen's weights; 1 by default).</summary>
    public double Weight { get; set; } = 1;

    /// <summary>
    /// The answers that count (<c>127.0.0.2</c>, <c>127.0.0.4</c> …); empty means any 127.0.0.0/8 answer. An answer
    /// outside 127.0.0.0/8 is never a listing: it is an error page of a resolver that rewrites NXDOMAIN.
    /// </summary>
    public List<string> ReturnCodes { get; set; } = [];
}
