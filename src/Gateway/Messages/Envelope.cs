using System.Net;

namespace MailGateway.Gateway.Messages;

/// <summary>Who sent a message to whom, and over which session: everything SMTP said about it besides the bytes.</summary>
public sealed record Envelope(
    string SessionId,
    IPAddress ClientAddress,
    string HeloName,
    MailPath? From,
    IReadOnlyList<MailPath> Recipients,
    bool Tls,
    bool SmtpUtf8)
{
    /// <summary>The reverse-path as written in headers: empty for the null sender.</summary>
    public string FromAddress => From?.Address ?? "";
}
