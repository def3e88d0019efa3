namespace MailGateway.Filters.Authentication;

/// <summary>
/// The domains the gateway accepts mail for, which nobody outside may claim (Dmarc:ProtectAcceptedDomains). Whether
/// mail comes from the gateway's own relay networks is on the envelope (<see cref="Chain.MessageEnvelope.FromInternalClient"/>).
/// </summary>
public interface ISenderOrigin
{
    bool IsAcceptedDomain(string domain);
}

/// <summary>No accepted domains: the origin used where the gateway's SMTP settings are absent (the CLI).</summary>
public sealed class NoSenderOrigin : ISenderOrigin
{
    public bool IsAcceptedDomain(string domain) => false;
}
