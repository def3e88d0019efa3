using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp.Requests;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>
/// RCPT TO:&lt;path&gt;: adds a recipient if it can be stored, the recipient limit allows it and every recipient
/// policy (relay rule, block list, …) accepts it.
/// </summary>
public sealed class RcptCommand : SmtpCommand<RcptRequest>
{
    public override string Verb => "RCPT";

    protected override SmtpRequest<RcptRequest> Parse(string argument, SmtpSession session)
    {
        var parsed = RcptRequest.Parse(argument, session.Options.AcceptedDomains[0]);
        if (parsed.Error is not null)
        {
            // A refused RCPT, whatever the reason, decides the 554 a pipelined DATA gets after it (RFC 2920 3.1).
            session.Transaction!.RejectedRecipients++;
        }

        return parsed;
    }

    protected override async Task<SmtpOutcome> ExecuteAsync(SmtpSession session, RcptRequest request,
        CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        var reply = await CheckAsync(session, transaction, request.Recipient, cancellationToken);
        if (reply is not null)
        {
            transaction.RejectedRecipients++;
            if (reply.Code == 550)
            {
                session.Logger.LogWarning("Session {SessionId}: recipient {Recipient} refused: {ReplyCode} {Reply}",
                    session.Id, request.Recipient.Address, reply.Code, reply.Lines[0]);
            }

            return reply;
        }

        transaction.AddRecipient(request.Recipient);
        transaction.AcceptedRcptCommands++;
        return new SmtpOutcome(SmtpReply.RecipientOk, SmtpEvent.RecipientAccepted);
    }

    private static async ValueTask<SmtpReply?> CheckAsync(SmtpSession session, SmtpTransaction transaction,
        MailPath recipient, CancellationToken cancellationToken)
    {
        if (transaction.AcceptedRcptCommands >= session.Options.MaxRecipients)
        {
            return SmtpReply.TooManyRecipients;
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

        var check = new RecipientCheck(recipient, transaction.From, session.ClientAddress, session.HeloName ?? "",
            session.Id);
        foreach (var policy in session.Services.RecipientPolicies)
        {
            if (await policy.CheckAsync(check, cancellationToken) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }
}
