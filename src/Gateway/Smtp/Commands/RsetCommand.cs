namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>RSET: abandons the transaction.</summary>
public sealed class RsetCommand : ISmtpCommand
{
    public string Verb => "RSET";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (argument.Trim().Length > 0)
        {
            return Task.FromResult<SmtpReply?>(SmtpReply.SyntaxError("RSET takes no argument"));
        }

        session.ResetTransaction();
        return Task.FromResult<SmtpReply?>(SmtpReply.ResetOk);
    }
}
