using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Spool;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// A message whose DATA has ended: its id, envelope and content (the gateway's Received header first, then the
/// bytes as received after dot-unstuffing). The content lives in a spool buffer owned by the session.
/// </summary>
public sealed record ReceivedMessage(string Id, Envelope Envelope, SpoolBuffer Content, DateTimeOffset ReceivedAt);
