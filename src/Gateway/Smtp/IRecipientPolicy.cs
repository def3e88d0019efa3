namespace MailGateway.Gateway.Smtp;

/// <summary>
/// One check of a recipient at RCPT time (the relay rule, the block list, and later recipient verification and DNS
/// lists), as SmtpServer's mailbox filters: null to accept, or the reply that refuses the recipient.
/// </summary>
public interface IRecipientPolicy
{
    ValueTask<SmtpReply?> CheckAsync(RecipientCheck check, CancellationToken cancellationToken);
}
