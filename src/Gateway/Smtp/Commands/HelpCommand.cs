namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>HELP: lists the commands.</summary>
public sealed class HelpCommand : ISmtpCommand
{
    public string Verb => "HELP";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken) =>
        Task.FromResult<SmtpReply?>(SmtpReply.Help);
}
