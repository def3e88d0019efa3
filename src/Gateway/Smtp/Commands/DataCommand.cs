using MailGateway.Gateway.Configuration;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>
/// DATA: 354, then the message up to CRLF.CRLF decoded into an <see cref="IncomingMessage"/>, then the processor's
/// verdict. An oversized message or (under Reject) one with bare line ends is read to its end and refused, so the
/// session stays in step with the client.
/// </summary>
public sealed class DataCommand : SmtpCommand<NoArgument>
{
    public override string Verb => "DATA";

    protected override SmtpRequest<NoArgument> Parse(string argument, SmtpSession session) =>
        NoArgument.Require(argument, Verb);

    protected override async Task<SmtpOutcome> ExecuteAsync(SmtpSession session, NoArgument request,
        CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        session.Connection.Enqueue(SmtpReply.StartData);
        await session.Connection.FlushAsync(cancellationToken);

        using var incoming = IncomingMessage.Start(session, transaction);
        var decoder = new DataDecoder(incoming.Content, session.Options.MaxMessageBytes);
        if (!await ReadToEndAsync(session, decoder, cancellationToken))
        {
            return SmtpOutcome.Ended(SmtpReply.CommandTimeout);
        }

        var reply = await incoming.FinishAsync(session, transaction, Refusal(session.Options, decoder),
            decoder.MessageBytes, cancellationToken);
        return SmtpOutcome.Ended(reply);
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
