namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>QUIT: 221 and close.</summary>
public sealed class QuitCommand : ISmtpCommand
{
    public string Verb => "QUIT";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken) =>
        Task.FromResult<SmtpReply?>(SmtpReply.Bye);
}
