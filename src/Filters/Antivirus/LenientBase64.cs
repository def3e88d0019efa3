namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Base64 decoded the ways real mail clients decode broken base64. Clients disagree on junk characters, on '=' in
/// the middle of the data and on incomplete groups at a line end; an attacker picks the variant clamd's parser reads
/// differently from the victim's client. <see cref="Interpretations"/> returns one decoding per known behaviour so
/// that whichever one the client takes, the bytes it would see are scanned.
/// </summary>
public static class LenientBase64
{
    private static readonly sbyte[] Values = BuildValues();

    /// <summary>Whether <paramref name="b"/> is one of the 64 base64 digits ('=' is not).</summary>
    public static bool IsDigit(byte b) => Values[b] >= 0;

    /// <summary>
    /// Decodes the lines of one base64 run (whitespace already trimmed) in every interpretation: junk and '='
    /// ignored; groups of four counting '=' (so "U=A=" is one byte); restart after each '='; each line's leading
    /// base64 cut at its first junk character; whole groups per line only; stop at the first '='; '=' read as zero.
    /// </summary>
    public static IEnumerable<byte[]> Interpretations(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        if (IsCanonical(lines))
        {
            // Well-formed base64 (the usual case) decodes the same in every interpretation.
            yield return DecodeIgnoringPadding(ByteLines.Concat(lines));
            yield break;
        }

        var digitsAndPad = new List<byte>();
        foreach (var line in lines)
        {
            foreach (var b in line.Span)
            {
                if (IsDigit(b) || b == (byte)'=')
                {
                    digitsAndPad.Add(b);
                }
            }
        }

        var all = digitsAndPad.ToArray();
        yield return DecodeIgnoringPadding(all);
        yield return DecodeCountingPadding(all);
        yield return DecodeRestartingAtPadding(all);
        yield return DecodeRestartingAtPadding(LinePrefixes(lines));
        yield return DecodeWholeGroupsPerLine(lines);
        var firstPad = Array.IndexOf(all, (byte)'=');
        yield return DecodeIgnoringPadding(firstPad < 0 ? all : all[..firstPad]);
        yield return DecodeIgnoringPadding(all.Select(b => b == (byte)'=' ? (byte)'A' : b).ToArray());
    }

    /// <summary>
    /// Only digits, whole groups on every line but the last, '=' only as the final padding (or none): nothing for
    /// clients to disagree on but trailing bits.
    /// </summary>
    private static bool IsCanonical(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        var total = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Span;
            var isLast = i == lines.Count - 1;
            var data = isLast ? line.TrimEnd((byte)'=') : line;
            if ((!isLast && line.Length % 4 != 0) || line.Length - data.Length > 2)
            {
                return false;
            }

            foreach (var b in data)
            {
                if (!IsDigit(b))
                {
                    return false;
                }
            }

            total += line.Length;
        }

        // Missing final padding is common and read the same by everyone; a lone sixth bit group is not.
        return total % 4 != 1;
    }

    /// <summary>Base64 digits, anything else skipped; a final group of 2 or 3 digits still gives its bytes.</summary>
    public static byte[] DecodeIgnoringPadding(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>(input.Length * 3 / 4 + 2);
        var group = new Group(output);
        foreach (var b in input)
        {
            if (IsDigit(b))
            {
                group.Add(b);
            }
        }

        group.Flush();
        return output.ToArray();
    }

    /// <summary>'=' ends the current group early (its 2 or 3 digits give 1 or 2 bytes) and decoding restarts.</summary>
    public static byte[] DecodeRestartingAtPadding(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>(input.Length * 3 / 4 + 2);
        var group = new Group(output);
        foreach (var b in input)
        {
            if (b == (byte)'=')
            {
                group.Flush();
            }
            else if (IsDigit(b))
            {
                group.Add(b);
            }
        }

        group.Flush();
        return output.ToArray();
    }

    /// <summary>Every four characters of digits and '=' are one group; a group's digits give its bytes.</summary>
    private static byte[] DecodeCountingPadding(byte[] digitsAndPad)
    {
        var output = new List<byte>(digitsAndPad.Length * 3 / 4 + 2);
        var group = new Group(output);
        for (var i = 0; i < digitsAndPad.Length; i++)
        {
            if (digitsAndPad[i] != (byte)'=')
            {
                group.Add(digitsAndPad[i]);
            }

            if (i % 4 == 3)
            {
                group.Flush();
            }
        }

        group.Flush();
        return output.ToArray();
    }

    private static byte[] LinePrefixes(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        var prefixes = new List<byte>();
        foreach (var line in lines)
        {
            foreach (var b in line.Span)
            {
                if (!IsDigit(b) && b != (byte)'=')
                {
                    break;
                }

                prefixes.Add(b);
            }
        }

        return prefixes.ToArray();
    }

    private static byte[] DecodeWholeGroupsPerLine(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        var output = new List<byte>();
        var group = new Group(output);
        var kept = new List<byte>();
        foreach (var line in lines)
        {
            kept.Clear();
            foreach (var b in line.Span)
            {
                if (IsDigit(b) || b == (byte)'=')
                {
                    kept.Add(b);
                }
            }

            foreach (var b in kept.Take(kept.Count / 4 * 4))
            {
                if (b == (byte)'=')
                {
                    group.Flush();
                }
                else
                {
                    group.Add(b);
                }
            }

            group.Flush();
        }

        return output.ToArray();
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[256];
        Array.Fill(values, (sbyte)-1);
        const string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < digits.Length; i++)
        {
            values[digits[i]] = (sbyte)i;
        }

        return values;
    }

    /// <summary>Up to four digits being collected; flushing a partial group emits the whole bytes it holds.</summary>
    private struct Group(List<byte> output)
    {
        private int _bits;
        private int _count;

        public void Add(byte digit)
        {
            _bits = (_bits << 6) | (byte)Values[digit];
            if (++_count == 4)
            {
                output.Add((byte)(_bits >> 16));
                output.Add((byte)(_bits >> 8));
                output.Add((byte)_bits);
                _bits = 0;
                _count = 0;
            }
        }

        public void Flush()
        {
            if (_count == 2)
            {
                output.Add((byte)(_bits >> 4));
            }
            else if (_count == 3)
            {
                output.Add((byte)(_bits >> 10));
                output.Add((byte)(_bits >> 2));
            }

            _bits = 0;
            _count = 0;
        }
    }
}
