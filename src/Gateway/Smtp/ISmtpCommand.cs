namespace MailGateway.Gateway.Smtp;

/// <summary>
/// One SMTP verb. The session has already checked the state table; the command validates its argument, changes the
/// session and returns the reply to queue (null when it sent its replies itself, as STARTTLS does).
/// </summary>
public interface ISmtpCommand
{
    string Verb { get; }

    Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken);
}
