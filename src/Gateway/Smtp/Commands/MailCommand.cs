using MailGateway.Gateway.Smtp.Requests;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>MAIL FROM:&lt;path&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]: starts a transaction.</summary>
public sealed class MailCommand : SmtpCommand<MailRequest>
{
    public override string Verb => "MAIL";

    protected override SmtpRequest<MailRequest> Parse(string argument, SmtpSession session)
    {
        // Before the syntax: a client that must STARTTLS learns that first, whatever it sent.
        if (session.Options.Tls.Required && !session.Connection.IsTls)
        {
            return SmtpReply.MustIssueStartTls;
        }

        return MailRequest.Parse(argument, session.Extended);
    }

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, MailRequest request,
        CancellationToken cancellationToken)
    {
        if (request.Size > session.Options.MaxMessageBytes)
        {
            return Task.FromResult<SmtpOutcome>(SmtpReply.MessageTooBig);
        }

        if (request.From is { IsAscii: false } && !request.SmtpUtf8)
        {
            return Task.FromResult<SmtpOutcome>(SmtpReply.NeedsSmtpUtf8);
        }

        var transaction = new SmtpTransaction(request.From, request.SmtpUtf8, request.Body);
        return Task.FromResult(SmtpOutcome.Mail(SmtpReply.SenderOk, transaction));
    }
}
