using System.Net;

namespace MailGateway.Filters.Chain;

/// <summary>
/// A stage whose DNS work needs only the envelope: the SMTP session starts it when DATA or BDAT begins, so its lookups
/// run while the message body arrives, and the stage's filter later awaits the answer it started. Starting never
/// throws and never waits. Not started for mail from the relay networks (<see cref="MessageEnvelope.FromInternalClient"/>):
/// the lookups are the sender checks (SPF), which the chain does not run for it.
/// </summary>
public interface IEarlyLookup
{
    void Start(IPAddress client, string heloName, string sender);
}
