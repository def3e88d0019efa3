namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Quoted-printable decoded the ways mail clients decode broken quoted-printable: what an invalid escape ("=0X",
/// "= ", "=4") turns into, and whether a hard line break is CRLF or a bare LF (binary encoders write a 0x0A byte as
/// a line break). Each <see cref="QpFlavour"/> is one client behaviour.
/// </summary>
public static class LenientQuotedPrintable
{
    /// <summary>The flavours worth scanning: between them they cover the clients' known behaviours.</summary>
    public static readonly IReadOnlyList<QpFlavour> Flavours =
    [
        new(QpInvalidEscape.DropWithOneHexDigit, QpLineBreak.CrLf),
        new(QpInvalidEscape.DropToNextEscape, QpLineBreak.Lf),
        new(QpInvalidEscape.DropToNextEscape, QpLineBreak.Lf, UpperCaseHexOnly: true),
        new(QpInvalidEscape.DropWithOneHexDigit, QpLineBreak.None),
        new(QpInvalidEscape.RemovedFirst, QpLineBreak.CrLf, UpperCaseHexOnly: true),
    ];

    /// <summary>
    /// Whether <paramref name="body"/> has a quoted-printable escape or more than one soft line break: the single
    /// "=" line end of base64 padding is not quoted-printable.
    /// </summary>
    public static bool HasEscapes(ReadOnlySpan<byte> body)
    {
        var softBreaks = 0;
        for (var i = body.IndexOf((byte)'='); i >= 0 && i + 1 < body.Length; i = NextEquals(body, i + 1))
        {
            if (i + 2 < body.Length && IsHex(body[i + 1]) && IsHex(body[i + 2]))
            {
                return true;
            }

            if (body[i + 1] is (byte)'\r' or (byte)'\n' && ++softBreaks > 1)
            {
                return true;
            }
        }

        return false;
    }

    public static byte[] Decode(ReadOnlySpan<byte> body, QpFlavour flavour)
    {
        if (flavour.InvalidEscape == QpInvalidEscape.RemovedFirst)
        {
            body = RemoveInvalidPairs(body, flavour.UpperCaseHexOnly);
        }

        // The output is never longer than the input: one array, written by index (List<byte>.Add per byte was most of
        // this method's time in the gateway's profile), and trimmed once at the end.
        var output = new byte[body.Length];
        var length = 0;
        var i = 0;
        while (i < body.Length)
        {
            var b = body[i];
            if (b == (byte)'\r' && i + 1 < body.Length && body[i + 1] == (byte)'\n' && flavour.LineBreak != QpLineBreak.CrLf)
            {
                i += flavour.LineBreak == QpLineBreak.None ? 2 : 1;
                continue;
            }

            if (b != (byte)'=')
            {
                output[length++] = b;
                i++;
                continue;
            }

            var afterSpace = i + 1;
            while (afterSpace < body.Length && body[afterSpace] is (byte)' ' or (byte)'\t')
            {
                afterSpace++;
            }

            if (afterSpace == body.Length || body[afterSpace] is (byte)'\r' or (byte)'\n')
            {
                // Soft line break, trailing whitespace allowed.
                i = afterSpace;
                i += i < body.Length && body[i] == (byte)'\r' ? 1 : 0;
                i += i < body.Length && body[i] == (byte)'\n' ? 1 : 0;
                continue;
            }

            var strict = flavour.UpperCaseHexOnly;
            if (i + 2 < body.Length && IsHex(body[i + 1], strict) && IsHex(body[i + 2], strict))
            {
                output[length++] = (byte)((HexValue(body[i + 1]) << 4) | HexValue(body[i + 2]));
                i += 3;
                continue;
            }

            i++;
            if (flavour.InvalidEscape == QpInvalidEscape.DropWithOneHexDigit)
            {
                i += i < body.Length && IsHex(body[i], strict) ? 1 : 0;
            }
            else
            {
                while (i < body.Length && body[i] is not ((byte)'=' or (byte)'\r' or (byte)'\n'))
                {
                    i++;
                }
            }
        }

        return output.AsSpan(0, length).ToArray();
    }

    private static byte[] RemoveInvalidPairs(ReadOnlySpan<byte> body, bool upperCaseOnly)
    {
        var output = new byte[body.Length];
        var length = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == (byte)'=' && i + 1 < body.Length
                && !IsHex(body[i + 1], upperCaseOnly) && body[i + 1] is not ((byte)'=' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                i++;
                continue;
            }

            output[length++] = body[i];
        }

        return output.AsSpan(0, length).ToArray();
    }

    private static int NextEquals(ReadOnlySpan<byte> body, int from)
    {
        var next = body[from..].IndexOf((byte)'=');
        return next < 0 ? -1 : from + next;
    }

    private static bool IsHex(byte b, bool upperCaseOnly = false) =>
        upperCaseOnly ? char.IsAsciiHexDigitUpper((char)b) : char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
