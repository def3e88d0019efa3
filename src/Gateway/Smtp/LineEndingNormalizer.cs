using MailGateway.Gateway.Spool;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// A write-only stream for BDAT content, which has no dot handling: every line end reaches the sink as CRLF, so a
/// message by BDAT is stored as the same message by DATA would be. It notes the bare CR and LF it completed, for
/// <see cref="Configuration.BareLineFeedPolicy.Reject"/>.
/// </summary>
public sealed class LineEndingNormalizer(Stream sink) : WriteOnlyStream(sink)
{
    private bool _pendingCr;

    public bool SawBareLineFeed { get; private set; }

    public bool SawBareCarriageReturn { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var i = 0;
        if (_pendingCr && buffer.Length > 0)
        {
            _pendingCr = false;
            if (buffer[0] == (byte)'\n')
            {
                i = 1;
            }
            else
            {
                SawBareCarriageReturn = true;
            }

            Sink.Write("\r\n"u8);
        }

        while (i < buffer.Length)
        {
            var next = buffer[i..].IndexOfAny((byte)'\r', (byte)'\n');
            if (next < 0)
            {
                Sink.Write(buffer[i..]);
                return;
            }

            Sink.Write(buffer.Slice(i, next));
            i += next;
            if (buffer[i] == (byte)'\n')
            {
                SawBareLineFeed = true;
                Sink.Write("\r\n"u8);
                i++;
            }
            else if (i + 1 == buffer.Length)
            {
                _pendingCr = true;
                return;
            }
            else
            {
                SawBareCarriageReturn |= buffer[i + 1] != (byte)'\n';
                Sink.Write("\r\n"u8);
                i += buffer[i + 1] == (byte)'\n' ? 2 : 1;
            }
        }
    }

    /// <summary>Ends the content: a CR at its very end is completed to CRLF.</summary>
    public void Complete()
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            SawBareCarriageReturn = true;
            Sink.Write("\r\n"u8);
        }
    }
}
