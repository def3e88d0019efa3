using System.Text;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Spool;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>
/// DATA: 354, then the message up to CRLF.CRLF decoded, through the cleanup stage, into a spool buffer behind our
/// Received header, then the processor's verdict. An oversized message or (under Reject) one with bare line ends is read to its end and
/// refused, so the session stays in step with the client.
/// </summary>
public sealed class DataCommand : ISmtpCommand
{
    public string Verb => "DATA";

    public async Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (argument.Trim().Length > 0)
        {
            return SmtpReply.SyntaxError("DATA takes no argument");
        }

        var transaction = session.Transaction!;
        var id = MessageIds.New();
        var receivedAt = DateTimeOffset.Now;
        session.Connection.Enqueue(SmtpReply.StartData);
        await session.Connection.FlushAsync(cancellationToken);

        var spool = new SpoolBuffer(session.Services.SpoolMemoryBytes, session.Services.SpoolDirectory);
        try
        {
            var received = ReceivedHeader.Build(session.Services.HostName, id, session.HeloName ?? "unknown",
                session.ClientAddress, session.Extended, session.Connection.IsTls, transaction.SmtpUtf8,
                transaction.Recipients, receivedAt);
            // UTF-8: under SMTPUTF8 the for clause may name a non-ASCII mailbox (RFC 6532); otherwise it is ASCII.
            spool.Write(Encoding.UTF8.GetBytes(received + "\r\n"));

            var cleanup = session.Services.Cleanup.Start(spool);
            var decoder = new DataDecoder(cleanup, session.Options.MaxMessageBytes);
            if (!await ReadToEndAsync(session, decoder, cancellationToken))
            {
                session.ResetTransaction();
                return SmtpReply.CommandTimeout;
            }

            var envelope = new Envelope(session.Id, session.ClientAddress, session.HeloName ?? "", transaction.From,
                transaction.Recipients, session.Connection.IsTls, transaction.SmtpUtf8);
            session.Services.Cleanup.Finish(cleanup, id, session.Id);
            spool.Complete();
            if (spool.WriteError is { } spoolError)
            {
                var full = DurableIo.IsDiskFull(spoolError);
                session.Logger.LogError(
                    "Session {SessionId}: message from {From} to {Recipients} not spooled ({Error}); replying {ReplyCode}",
                    session.Id, envelope.FromAddress, envelope.Recipients.Select(r => r.Address), spoolError.Message,
                    full ? 452 : 451);
                return full ? SmtpReply.InsufficientStorage : SmtpReply.LocalError;
            }

            var refusal = Refusal(session.Options, decoder);
            if (refusal is not null)
            {
                session.Logger.LogWarning(
                    "Session {SessionId}: message from {From} to {Recipients} refused: {ReplyCode} {Reply} ({Size} bytes)",
                    session.Id, envelope.FromAddress, envelope.Recipients.Select(r => r.Address), refusal.Code,
                    refusal.Lines[0], decoder.MessageBytes);
                return refusal;
            }

            var message = new ReceivedMessage(id, envelope, spool, receivedAt);
            return await session.Services.Processor.ProcessAsync(message, cancellationToken);
        }
        finally
        {
            session.ResetTransaction();
            await spool.DisposeAsync();
        }
    }

    private static SmtpReply? Refusal(SmtpOptions options, DataDecoder decoder)
    {
        if (decoder.TooBig)
        {
            return SmtpReply.MessageTooBig;
        }

        if (options.BareLineFeed == BareLineFeedPolicy.Reject)
        {
            if (decoder.SawBareLineFeed)
            {
                return SmtpReply.BareLineFeed;
            }

            if (decoder.SawBareCarriageReturn)
            {
                return SmtpReply.BareCarriageReturn;
            }
        }

        return null;
    }

    /// <summary>Feeds the pipe to the decoder up to the end marker; false on the DATA timeout.</summary>
    private static async Task<bool> ReadToEndAsync(SmtpSession session, DataDecoder decoder, CancellationToken abort)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(session.Options.DataTimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, abort);
        var reader = session.Connection.Reader;
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await reader.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !abort.IsCancellationRequested)
            {
                return false;
            }

            var buffer = result.Buffer;
            long offset = 0;
            foreach (var segment in buffer)
            {
                var end = decoder.Decode(segment.Span);
                if (end >= 0)
                {
                    reader.AdvanceTo(buffer.GetPosition(offset + end));
                    return true;
                }

                offset += segment.Length;
            }

            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("connection closed in the middle of DATA");
            }
        }
    }
}
