using System.Net;

namespace MailGateway.Filters.Authentication;

/// <summary>
/// What the gateway knows about where mail comes from: its own relay networks (mail submitted from inside, not
/// checked as inbound) and the domains it accepts mail for (which nobody outside may claim, Dmarc:ProtectAcceptedDomains).
/// </summary>
public interface ISenderOrigin
{
    bool IsInternalClient(IPAddress client);

    bool IsAcceptedDomain(string domain);
}

/// <summary>No relay networks, no accepted domains: the origin used where the gateway's SMTP settings are absent (the CLI).</summary>
public sealed class NoSenderOrigin : ISenderOrigin
{
    public bool IsInternalClient(IPAddress client) => false;

    public bool IsAcceptedDomain(string domain) => false;
}
