namespace MailGateway.Gateway.Tracking;

/// <summary>
/// One message and the decision made about it, as tracking keeps it: who sent it from where, to whom, what it was
/// (size, Message-ID, subject), how it scored and where it went. Text fields are bounded (<see cref="TrackingLimits"/>).
/// </summary>
/// <param name="Id">the gateway's id (32 hex digits): the queue id in the 250 reply, the archive file's name.</param>
/// <param name="ClientNetwork">the client's /24 (IPv4) or /48 (IPv6), for "top networks".</param>
/// <param name="HeaderMessageId">the Message-ID header, without angle brackets; empty when the message had none.</param>
/// <param name="Disposition">the route: inbox, junk, archive, virus-archive or rejected.</param>
/// <param name="Detail">why, in a few words: the refusal text, the archive reason, the virus signature.</param>
/// <param name="ReplyCode">the SMTP reply the client got at the end of DATA.</param>
/// <param name="Node">the gateway that received it (<c>Tracking:NodeName</c>).</param>
public sealed record TrackedMessage(
    string Id,
    DateTimeOffset ReceivedAt,
    string Node,
    string SessionId,
    string ClientAddress,
    string ClientNetwork,
    string HeloName,
    string Sender,
    IReadOnlyList<string> Recipients,
    long Size,
    string HeaderMessageId,
    string Subject,
    int? Scl,
    int? Bcl,
    string Disposition,
    string Detail,
    int ReplyCode);
