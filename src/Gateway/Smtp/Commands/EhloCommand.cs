namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>EHLO: greets, resets any transaction and lists the extensions.</summary>
public sealed class EhloCommand : ISmtpCommand
{
    public string Verb => "EHLO";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        var name = argument.Trim();
        if (name.Length == 0 || name.Contains(' '))
        {
            return Task.FromResult<SmtpReply?>(SmtpReply.SyntaxError("EHLO hostname"));
        }

        session.HeloName = name;
        session.Extended = true;
        session.State = SmtpSessionState.Greeted;
        session.Transaction = null;
        var extensions = new List<string>
        {
            "PIPELINING",
            $"SIZE {session.Options.MaxMessageBytes}",
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
        };
        if (session.Services.Certificate is not null && !session.Connection.IsTls)
        {
            extensions.Add("STARTTLS");
        }

        return Task.FromResult<SmtpReply?>(SmtpReply.Ehlo(session.Services.HostName, name, extensions));
    }
}
