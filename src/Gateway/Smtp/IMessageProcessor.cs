namespace MailGateway.Gateway.Smtp;

/// <summary>
/// What happens to a message once DATA has ended: filtering, routing and durable storage. The reply it returns is
/// sent to the client, so a 250 must only come back once every copy is durable.
/// </summary>
public interface IMessageProcessor
{
    Task<SmtpReply> ProcessAsync(ReceivedMessage message, CancellationToken cancellationToken);
}
