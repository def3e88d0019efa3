using MailKit.Net.Smtp;
using MimeKit;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// MailKit's client, changed for relaying: a refused recipient is recorded instead of ending the transaction (so the
/// others are still delivered), and the message is sent as queued instead of being re-encoded for the server.
/// </summary>
public sealed class RelaySmtpClient : SmtpClient
{
    private readonly List<(MailboxAddress Mailbox, SmtpResponse Response)> _refused = new();

    /// <summary>The recipients the server refused during the last send, with its reply.</summary>
    public IReadOnlyList<(MailboxAddress Mailbox, SmtpResponse Response)> Refused => _refused;

    public void ResetRefused() => _refused.Clear();

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        _refused.Add((mailbox, response));

    protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientsAcceptedException();

    // The queued bytes are what the gateway would have stored; the next hop is our own internal server.
    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint,
        int maxLineLength)
    {
    }

    /// <summary>Every recipient was refused; their replies are in <see cref="Refused"/>.</summary>
    public sealed class NoRecipientsAcceptedException() : Exception("no recipient accepted");
}
