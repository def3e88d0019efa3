namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>NOOP: does nothing (an argument is allowed and ignored, RFC 5321 4.1.1.9).</summary>
public sealed class NoopCommand : ISmtpCommand
{
    public string Verb => "NOOP";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken) =>
        Task.FromResult<SmtpReply?>(SmtpReply.NoopOk);
}
