using System.Net;

namespace MailGateway.Gateway.Messages;

/// <summary>Who sent a message to whom, and over which session: everything SMTP said about it besides the bytes.</summary>
/// <param name="FromInternalClient">The client is in <c>Smtp:RelayNetworks</c>: the message is ours, its sender is not checked.</param>
public sealed record Envelope(
    string SessionId,
    IPAddress ClientAddress,
    string HeloName,
    MailPath? From,
    IReadOnlyList<MailPath> Recipients,
    bool Tls,
    bool SmtpUtf8,
    bool FromInternalClient = false)
{
    /// <summary>The reverse-path as written in headers: empty for the null sender.</summary>
    public string FromAddress => From?.Address ?? "";
}
