namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>VRFY: 252, as a gateway cannot and should not confirm mailboxes (RFC 5321 3.5.3).</summary>
public sealed class VrfyCommand : ISmtpCommand
{
    public string Verb => "VRFY";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken) =>
        Task.FromResult<SmtpReply?>(argument.Trim().Length == 0
            ? SmtpReply.SyntaxError("VRFY <address>")
            : SmtpReply.CannotVerify);
}
