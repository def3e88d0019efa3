using System.Net;

namespace MailGateway.Filters.Chain;

/// <summary>What SMTP said about a message, as the filters see it.</summary>
/// <param name="Sender">The envelope sender; empty for the null sender &lt;&gt;.</param>
/// <param name="FromInternalClient">
/// The client is in the gateway's own relay networks (<c>Smtp:RelayNetworks</c>): the mail is ours, and the
/// sender-authentication filters (<see cref="FilterKind.SenderAuthentication"/>) are not run for it. Decided once, by
/// the gateway, when the message comes in.
/// </param>
public sealed record MessageEnvelope(
    string SessionId,
    IPAddress ClientAddress,
    string HeloName,
    string Sender,
    IReadOnlyList<string> Recipients,
    bool FromInternalClient = false);
