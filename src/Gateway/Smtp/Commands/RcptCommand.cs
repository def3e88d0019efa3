using MailGateway.Filters.AllowList;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>RCPT TO:&lt;path&gt;: adds a recipient if the relay policy and the recipient limit allow it.</summary>
public sealed class RcptCommand : ISmtpCommand
{
    public string Verb => "RCPT";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken) =>
        Task.FromResult<SmtpReply?>(Execute(session, argument));

    private static SmtpReply Execute(SmtpSession session, string argument)
    {
        var transaction = session.Transaction!;
        var reply = Check(session, transaction, argument, out var recipient);
        if (reply is not null)
        {
            transaction.RejectedRecipients++;
            if (reply.Code == 550)
            {
                session.Logger.LogWarning("Session {SessionId}: recipient {Recipient} refused: {ReplyCode} {Reply}",
                    session.Id, argument, reply.Code, reply.Lines[0]);
            }

            return reply;
        }

        transaction.AddRecipient(recipient!);
        transaction.AcceptedRcptCommands++;
        session.State = SmtpSessionState.RecipientGiven;
        return SmtpReply.RecipientOk;
    }

    private static SmtpReply? Check(SmtpSession session, SmtpTransaction transaction, string argument,
        out MailPath? recipient)
    {
        recipient = null;
        if (!MailParameters.TrySplit(argument, "TO", out var path, out var parameters, out var error))
        {
            return SmtpReply.SyntaxError(error);
        }

        if (parameters.Count > 0)
        {
            return SmtpReply.UnsupportedParameter(parameters.Keys.First());
        }

        if (transaction.AcceptedRcptCommands >= session.Options.MaxRecipients)
        {
            return SmtpReply.TooManyRecipients;
        }

        var postmasterDomain = session.Options.AcceptedDomains[0];
        recipient = MailPath.TryParse(path, postmasterDomain, allowBarePostmaster: true, out var why);
        if (recipient is null)
        {
            return SmtpReply.BadRecipientAddress(why);
        }

        if (!recipient.IsAscii && !transaction.SmtpUtf8)
        {
            return SmtpReply.NeedsSmtpUtf8;
        }

        // Refused here, not at DATA: a mailbox that cannot be stored would defer the whole message on every retry.
        if (recipient.LocalPartTooLong)
        {
            return SmtpReply.LocalPartTooLong;
        }

        if (recipient.AddressTooLong)
        {
            return SmtpReply.MailboxNameTooLong;
        }

        var relay = session.Services.RelayPolicy.Check(recipient, session.ClientAddress);
        if (relay is not null)
        {
            return relay;
        }

        var policy = session.Services.AllowList.Evaluate(transaction.From?.Address ?? "", null, session.ClientAddress);
        return policy.Verdict == AllowListVerdict.Blocked ? SmtpReply.BlockedByPolicy : null;
    }
}
