namespace MailGateway.Gateway.Smtp;

/// <summary>One SMTP verb, run by the session on a command line whose verb it is.</summary>
public interface ISmtpCommand
{
    string Verb { get; }

    Task<SmtpOutcome> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken);
}
