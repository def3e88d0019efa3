using System.Net;

namespace MailGateway.Filters.Chain;

/// <summary>
/// A stage whose DNS work needs only the envelope: the SMTP session starts it when DATA or BDAT begins, so its lookups
/// run while the message body arrives, and the stage's filter later awaits the answer it started. Starting never
/// throws and never waits. It is started only when its filter (<see cref="FilterName"/>) would run: it is in
/// <c>Filters:Order</c>, and for a sender-authentication filter the message is not from the relay networks
/// (<see cref="MessageEnvelope.FromInternalClient"/>, <see cref="FilterKind.SenderAuthentication"/>). Answers nobody
/// takes are never asked for.
/// </summary>
public interface IEarlyLookup
{
    /// <summary>The filter that takes the answers (its name in <c>Filters:Order</c>).</summary>
    string FilterName { get; }

    void Start(IPAddress client, string heloName, string sender);
}
