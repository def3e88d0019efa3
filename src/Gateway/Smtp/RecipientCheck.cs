using System.Net;
using MailGateway.Gateway.Messages;

namespace MailGateway.Gateway.Smtp;

/// <summary>What a recipient policy sees: the recipient, the transaction's sender and the client.</summary>
public sealed record RecipientCheck(MailPath Recipient, MailPath? Sender, IPAddress Client, string HeloName, string SessionId);
