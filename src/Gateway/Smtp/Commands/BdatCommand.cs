using System.Buffers;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Smtp.Requests;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>
/// BDAT &lt;size&gt; [LAST] (CHUNKING, RFC 3030): exactly size octets follow the command line, with no dot handling,
/// so no end-of-data sequence exists that a client could smuggle. Chunks are gathered into one
/// <see cref="IncomingMessage"/>; BDAT LAST hands it to the processor under the same rules as DATA (250 only once
/// stored). A refused chunk is still read to its end, so the session stays in step with a pipelining client.
/// </summary>
public sealed class BdatCommand : SmtpCommand<BdatRequest>
{
    public override string Verb => "BDAT";

    protected override SmtpRequest<BdatRequest> Parse(string argument, SmtpSession session) =>
        BdatRequest.Parse(argument);

    protected override async Task<SmtpOutcome> RefuseAsync(SmtpSession session, string argument, SmtpReply refusal,
        CancellationToken cancellationToken)
    {
        var parsed = BdatRequest.Parse(argument);
        if (parsed.Request is not { } request)
        {
            return parsed.Error!;
        }

        return await ReadChunkAsync(session, request.Size, null, cancellationToken)
            ? refusal
            : SmtpOutcome.Ended(SmtpReply.CommandTimeout);
    }

    protected override async Task<SmtpOutcome> ExecuteAsync(SmtpSession session, BdatRequest request,
        CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        var chunks = transaction.Chunks ??= new ChunkedMessage(IncomingMessage.Start(session, transaction));
        var limit = session.Options.MaxMessageBytes;
        chunks.Bytes += request.Size;
        var sink = chunks.Bytes <= limit ? chunks.Content : null;
        if (!await ReadChunkAsync(session, request.Size, sink, cancellationToken))
        {
            return SmtpOutcome.Ended(SmtpReply.CommandTimeout);
        }

        if (chunks.Bytes > limit)
        {
            // Refused on the chunk that crosses the limit; the chunks after it meet a closed transaction.
            return SmtpOutcome.Ended(await FinishAsync(session, transaction, chunks, SmtpReply.MessageTooBig, cancellationToken));
        }

        if (!request.Last)
        {
            return new SmtpOutcome(SmtpReply.ChunkReceived(request.Size), SmtpEvent.ChunkAccepted);
        }

        chunks.Content.Complete();
        var refusal = session.Options.BareLineFeed == BareLineFeedPolicy.Reject
            ? chunks.Content.SawBareLineFeed ? SmtpReply.BareLineFeed
            : chunks.Content.SawBareCarriageReturn ? SmtpReply.BareCarriageReturn : null
            : null;
        return SmtpOutcome.Ended(await FinishAsync(session, transaction, chunks, refusal, cancellationToken));
    }

    private static async Task<SmtpReply> FinishAsync(SmtpSession session, SmtpTransaction transaction,
        ChunkedMessage chunks, SmtpReply? refusal, CancellationToken cancellationToken)
    {
        try
        {
            return await chunks.Message.FinishAsync(session, transaction, refusal, chunks.Bytes, cancellationToken);
        }
        finally
        {
            transaction.Dispose();
        }
    }

    /// <summary>Reads exactly <paramref name="size"/> octets into <paramref name="sink"/> (dropped when null); false on the DATA timeout.</summary>
    private static async Task<bool> ReadChunkAsync(SmtpSession session, long size, Stream? sink, CancellationToken abort)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(session.Options.DataTimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, abort);
        var reader = session.Connection.Reader;
        var left = size;
        while (left > 0)
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
            var take = buffer.Slice(0, Math.Min(left, buffer.Length));
            if (sink is not null)
            {
                foreach (var segment in take)
                {
                    sink.Write(segment.Span);
                }
            }

            left -= take.Length;
            reader.AdvanceTo(take.End);
            if (left > 0 && result.IsCompleted)
            {
                throw new IOException("connection closed in the middle of BDAT");
            }
        }

        return true;
    }
}
