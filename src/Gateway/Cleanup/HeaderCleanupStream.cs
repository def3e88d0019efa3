using MailGateway.Gateway.Spool;

namespace MailGateway.Gateway.Cleanup;

/// <summary>
/// The cleanup step between the DATA reader and the spool (Postfix's cleanup, Exchange's header firewall): a
/// write-only stream that passes the message through to the spool and leaves out, while it streams, the header
/// fields <see cref="HeaderFieldRules"/> removes, each with its folded continuation lines. The body passes untouched
/// from the first empty line on. It reads the decoder's output, in which every line ends in CRLF, in pieces of
/// any size; only a field name (at most one line) and an Authentication-Results field (bounded) are held.
/// </summary>
public sealed class HeaderCleanupStream : WriteOnlyStream
{
    // RFC 5322 2.1.1: a line holds at most 998 characters, so a longer "name" is no field name.
    private const int MaxNameBytes = 998;

    // An Authentication-Results field is held until its authserv-id is read; a longer one is decided on its start.
    private const int MaxHeldBytes = 16 * 1024;

    private readonly HeaderFieldRules _rules;
    private readonly byte[] _name = new byte[MaxNameBytes];
    private int _nameLength;
    private MemoryStream? _held;
    private string _heldName = "";
    private State _state = State.LineStart;
    private HeaderFieldAction _field = HeaderFieldAction.Keep;
    private List<string>? _removed;

    public HeaderCleanupStream(Stream sink, HeaderFieldRules rules)
        : base(sink)
    {
        _rules = rules;
    }

    private enum State
    {
        LineStart, // at the start of a header line
        BlankCr, // a CR at the start of a line: the empty line that ends the header, once LF follows
        Name, // reading a field name up to its colon
        FieldValue, // the rest of a field line, up to and including its LF
        Body, // everything after the empty line: passed through
    }

    /// <summary>The names of the fields left out so far, in order.</summary>
    public IReadOnlyList<string> RemovedFields => (IReadOnlyList<string>?)_removed ?? [];

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var i = 0;
        while (i < buffer.Length)
        {
            switch (_state)
            {
                case State.Body:
                    Sink.Write(buffer[i..]);
                    return;

                case State.LineStart:
                    var first = buffer[i];
                    if (first == (byte)'\r')
                    {
                        _state = State.BlankCr;
                        i++;
                    }
                    else if (first is (byte)' ' or (byte)'\t')
                    {
                        // A folded continuation: it belongs to the field before it and shares its fate.
                        _state = State.FieldValue;
                    }
                    else
                    {
                        FinishField();
                        _nameLength = 0;
                        _state = State.Name;
                    }

                    break;

                case State.BlankCr:
                    FinishField();
                    if (buffer[i] == (byte)'\n')
                    {
                        Sink.Write("\r\n"u8);
                        i++;
                    }
                    else
                    {
                        Sink.Write("\r"u8);
                    }

                    _state = State.Body;
                    break;

                case State.Name:
                    i += ReadName(buffer[i..]);
                    break;

                case State.FieldValue:
                    var lf = buffer[i..].IndexOf((byte)'\n');
                    var end = lf < 0 ? buffer.Length : i + lf + 1;
                    EmitValue(buffer[i..end]);
                    i = end;
                    if (lf >= 0)
                    {
                        _state = State.LineStart;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Ends the message: a field still held is decided. Called once the DATA reader has seen the end marker.
    /// </summary>
    public void Complete()
    {
        if (_state == State.Name)
        {
            Sink.Write(_name.AsSpan(0, _nameLength));
        }
        else if (_state == State.BlankCr)
        {
            Sink.Write("\r"u8);
        }

        FinishField();
        _state = State.Body;
    }

    /// <summary>Collects the field name; returns the bytes consumed.</summary>
    private int ReadName(ReadOnlySpan<byte> input)
    {
        for (var j = 0; j < input.Length; j++)
        {
            var b = input[j];
            if (b == (byte)':')
            {
                Decide();
                return j + 1;
            }

            // obs-field-name allows white space before the colon ("Subject :"); anything else outside ftext, or a
            // name longer than a line, means this line is not a field. It is kept, and the header goes on: a
            // parser that skips such a line must not find a field we let through after it.
            var nameChar = HeaderFieldRules.IsFieldNameChar((char)b) || b is (byte)' ' or (byte)'\t';
            if (!nameChar || _nameLength == MaxNameBytes)
            {
                Sink.Write(_name.AsSpan(0, _nameLength));
                _field = HeaderFieldAction.Keep;
                _state = State.FieldValue;
                return j;
            }

            _name[_nameLength++] = b;
        }

        return input.Length;
    }

    private void Decide()
    {
        var name = System.Text.Encoding.ASCII.GetString(_name, 0, _nameLength).TrimEnd(' ', '\t');
        _field = _rules.ActionFor(name);
        switch (_field)
        {
            case HeaderFieldAction.Keep:
                Sink.Write(_name.AsSpan(0, _nameLength));
                Sink.Write(":"u8);
                break;
            case HeaderFieldAction.Remove:
                (_removed ??= []).Add(name);
                break;
            case HeaderFieldAction.RemoveIfOurs:
                _held ??= new MemoryStream();
                _held.SetLength(0);
                _heldName = name;
                break;
        }

        _state = State.FieldValue;
    }

    private void EmitValue(ReadOnlySpan<byte> bytes)
    {
        switch (_field)
        {
            case HeaderFieldAction.Keep:
                Sink.Write(bytes);
                break;
            case HeaderFieldAction.RemoveIfOurs:
                _held!.Write(bytes);
                if (_held.Length > MaxHeldBytes)
                {
                    ResolveHeld();
                }

                break;
        }
    }

    /// <summary>The field before a new line ends: a held Authentication-Results field is decided now.</summary>
    private void FinishField()
    {
        if (_field == HeaderFieldAction.RemoveIfOurs)
        {
            ResolveHeld();
        }

        _field = HeaderFieldAction.Keep;
    }

    private void ResolveHeld()
    {
        var value = _held!.GetBuffer().AsSpan(0, (int)_held.Length);
        if (_rules.NamesThisHost(value))
        {
            (_removed ??= []).Add(_heldName);
            _field = HeaderFieldAction.Remove;
        }
        else
        {
            Sink.Write(_name.AsSpan(0, _nameLength));
            Sink.Write(":"u8);
            Sink.Write(value);
            _field = HeaderFieldAction.Keep;
        }

        _held.SetLength(0);
    }
}
