using System.Net;

namespace MailGateway.Filters.Chain;

/// <summary>What SMTP said about a message, as the filters see it.</summary>
/// <param name="Sender">The envelope sender; empty for the null sender &lt;&gt;.</param>
public sealed record MessageEnvelope(
    string SessionId,
    IPAddress ClientAddress,
    string HeloName,
    string Sender,
    IReadOnlyList<string> Recipients);
