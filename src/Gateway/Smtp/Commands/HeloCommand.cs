namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>HELO: the RFC 821 greeting; no extensions in this session.</summary>
public sealed class HeloCommand : ISmtpCommand
{
    public string Verb => "HELO";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        var name = argument.Trim();
        if (name.Length == 0 || name.Contains(' '))
        {
            return Task.FromResult<SmtpReply?>(SmtpReply.SyntaxError("HELO hostname"));
        }

        session.HeloName = name;
        session.Extended = false;
        session.State = SmtpSessionState.Greeted;
        session.Transaction = null;
        return Task.FromResult<SmtpReply?>(SmtpReply.Helo(session.Services.HostName));
    }
}
