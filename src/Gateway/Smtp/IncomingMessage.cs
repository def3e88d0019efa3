using System.Text;
using MailGateway.Gateway.Cleanup;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Spool;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// One message on its way in, the same for DATA and BDAT: our Received header, then the client's bytes through the
/// cleanup stage into a spool buffer, then the hand-off to the processor, whose reply is the one the client gets. The
/// lookups that need only the envelope (<see cref="MailGateway.Filters.Chain.IEarlyLookup"/>) start here, and whether
/// the message comes from our own relay networks is decided here, once (<see cref="Envelope.FromInternalClient"/>).
/// </summary>
public sealed class IncomingMessage : IDisposable
{
    private readonly SpoolBuffer _spool;
    private readonly HeaderCleanupStream _cleanup;
    private readonly bool _fromInternalClient;

    private IncomingMessage(SmtpSession session, SmtpTransaction transaction)
    {
        Id = MessageIds.New();
        ReceivedAt = DateTimeOffset.Now;
        _spool = new SpoolBuffer(session.Services.SpoolMemoryBytes, session.Services.SpoolDirectory);
        var received = ReceivedHeader.Build(session.Services.HostName, Id, session.HeloName ?? "unknown",
            session.ClientAddress, session.Extended, session.Connection.IsTls, transaction.SmtpUtf8,
            transaction.Recipients, ReceivedAt);
        // UTF-8: under SMTPUTF8 the for clause may name a non-ASCII mailbox (RFC 6532); otherwise it is ASCII.
        _spool.Write(Encoding.UTF8.GetBytes(received + "\r\n"));
        _cleanup = session.Services.Cleanup.Start(_spool);
        _fromInternalClient = session.Services.Relay.IsRelayClient(session.ClientAddress);
        foreach (var lookup in session.Services.EarlyLookupsFor(_fromInternalClient))
        {
            lookup.Start(session.ClientAddress, session.HeloName ?? "", transaction.From?.Address ?? "");
        }
    }

    public string Id { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Where the client's bytes go, after dot-unstuffing (DATA) or as they come (BDAT).</summary>
    public Stream Content => _cleanup;

    public static IncomingMessage Start(SmtpSession session, SmtpTransaction transaction) => new(session, transaction);

    /// <summary>
    /// Ends the message: <paramref name="refusal"/> (too big, bare line ends) or a spool that could not be written
    /// refuses it; otherwise the processor filters, stores and answers.
    /// </summary>
    public async Task<SmtpReply> FinishAsync(SmtpSession session, SmtpTransaction transaction, SmtpReply? refusal,
        long messageBytes, CancellationToken cancellationToken)
    {
        var envelope = new Envelope(session.Id, session.ClientAddress, session.HeloName ?? "", transaction.From,
            transaction.Recipients, session.Connection.IsTls, transaction.SmtpUtf8, _fromInternalClient);
        session.Services.Cleanup.Finish(_cleanup, Id, session.Id);
        _spool.Complete();
        if (_spool.WriteError is { } spoolError)
        {
            var full = DiskSpace.IsFull(spoolError);
            session.Logger.LogError(
                "Session {SessionId}: message from {From} to {Recipients} not spooled ({Error}); replying {ReplyCode}",
                session.Id, envelope.FromAddress, envelope.Recipients.Select(r => r.Address), spoolError.Message,
                full ? 452 : 451);
            return full ? SmtpReply.InsufficientStorage : SmtpReply.LocalError;
        }

        if (refusal is not null)
        {
            session.Logger.LogWarning(
                "Session {SessionId}: message from {From} to {Recipients} refused: {ReplyCode} {Reply} ({Size} bytes)",
                session.Id, envelope.FromAddress, envelope.Recipients.Select(r => r.Address), refusal.Code,
                refusal.Lines[0], messageBytes);
            return refusal;
        }

        var message = new ReceivedMessage(Id, envelope, _spool, ReceivedAt);
        return await session.Services.Processor.ProcessAsync(message, cancellationToken);
    }

    public void Dispose() => _spool.Dispose();
}
