namespace MailGateway.Gateway.Smtp;

/// <summary>
/// Decodes the DATA stream (RFC 5321 4.5.2): removes dot-stuffing and finds the end of the message, which is
/// only ever <c>CRLF . CRLF</c>. Bare CR and LF never take part in the end marker, so no SMTP-smuggling variant
/// (<c>LF . LF</c>, <c>CR . CR</c>, <c>LF . CRLF</c>, <c>CRLF . CR</c>, …) can end a message early. Under
/// <see cref="Configuration.BareLineFeedPolicy.Normalize"/> a bare CR or LF is written out as CRLF.
/// The decoder is fed the bytes as they arrive, in pieces of any size, and writes the message to a sink.
/// </summary>
public sealed class DataDecoder
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] DotCrlf = ".\r\n"u8.ToArray();
    private static readonly byte[] Dot = "."u8.ToArray();
    private static readonly byte[] Lf = "\n"u8.ToArray();

    private readonly Stream _sink;
    private readonly long _maxBytes;
    private State _state = State.LineStart;

    public DataDecoder(Stream sink, long maxBytes)
    {
        _sink = sink;
        _maxBytes = maxBytes;
    }

    private enum State
    {
        LineStart, // after CRLF, or at the very beginning
        Text,
        AfterCr, // a CR was written and may begin CRLF
        Dot, // a '.' at the start of a line, not written
        DotCr, // ". CR" at the start of a line, not written
    }

    /// <summary>Bytes of the decoded message, counting those past the limit that were not written.</summary>
    public long MessageBytes { get; private set; }

    public bool TooBig => MessageBytes > _maxBytes;

    public bool SawBareLineFeed { get; private set; }

    public bool SawBareCarriageReturn { get; private set; }

    /// <summary>
    /// Decodes <paramref name="input"/>. Returns the number of bytes consumed up to and including the end marker
    /// when the message ended inside it, or -1 when all of it was consumed and more is needed.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> input)
    {
        var i = 0;
        var runStart = 0;
        while (i < input.Length)
        {
            var b = input[i];
            switch (_state)
            {
                case State.LineStart:
                    if (b == (byte)'.')
                    {
                        Emit(input[runStart..i]);
                        i++;
                        runStart = i;
                        _state = State.Dot;
                    }
                    else
                    {
                        _state = State.Text;
                    }

                    break;

                case State.Text:
                    var next = input[i..].IndexOfAny((byte)'\r', (byte)'\n');
                    if (next < 0)
                    {
                        i = input.Length;
                        break;
                    }

                    i += next;
                    if (input[i] == (byte)'\r')
                    {
                        i++;
                        _state = State.AfterCr;
                    }
                    else
                    {
                        // A bare LF: written as CRLF; the line after it is not a line start for dot handling.
                        Emit(input[runStart..i]);
                        BareLf();
                        i++;
                        runStart = i;
                    }

                    break;

                case State.AfterCr:
                    if (b == (byte)'\n')
                    {
                        i++;
                        _state = State.LineStart;
                    }
                    else
                    {
                        // A bare CR (already written): complete it to CRLF and read b as text.
                        Emit(input[runStart..i]);
                        BareCr();
                        runStart = i;
                        _state = State.Text;
                    }

                    break;

                case State.Dot:
                    if (b == (byte)'\r')
                    {
                        i++;
                        runStart = i;
                        _state = State.DotCr;
                    }
                    else if (b == (byte)'\n')
                    {
                        // ". LF": not the end; keep the dot as text.
                        Emit(Dot);
                        _state = State.Text;
                    }
                    else
                    {
                        // The leading dot is removed (RFC 5321 4.5.2); for ".." that is the unstuffing.
                        _state = State.Text;
                    }

                    break;

                case State.DotCr:
                    if (b == (byte)'\n')
                    {
                        return i + 1;
                    }

                    // ". CR x": a line holding a dot and a bare CR; not the end.
                    SawBareCarriageReturn = true;
                    Emit(DotCrlf);
                    _state = State.Text;
                    break;
            }
        }

        Emit(input[runStart..]);
        return -1;
    }

    private void BareLf()
    {
        SawBareLineFeed = true;
        Emit(Crlf);
    }

    private void BareCr()
    {
        SawBareCarriageReturn = true;
        Emit(Lf);
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var before = MessageBytes;
        MessageBytes += bytes.Length;
        if (MessageBytes <= _maxBytes)
        {
            _sink.Write(bytes);
        }
        else if (before < _maxBytes)
        {
            // Crossing the limit: stop writing; the rest is read and dropped so the reply lands in sync.
            _sink.Write(bytes[..(int)(_maxBytes - before)]);
        }
    }
}
