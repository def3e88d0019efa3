using MimeKit.Encodings;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Finds uuencoded data in a message's lines, with or without its "begin 644 name" line (clients decode a "begin"
/// block even in a plain-text part, and some decode a part labelled x-uuencode that has no "begin" at all), and has
/// MimeKit's <see cref="UUDecoder"/> decode each run. Only the finding is ours: which lines are uuencoded, and the
/// characters a transport stripped off a line's end (trailing spaces encode zeros) put back first.
/// </summary>
public static class UuDecoder
{
    /// <summary>Trailing characters a line may have lost.</summary>
    private const int MaxMissingCharacters = 8;

    /// <summary>The decoded bytes of each run of uuencoded lines that holds at least one full (45-byte) line.</summary>
    public static IEnumerable<byte[]> Blocks(IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        List<byte>? run = null;
        var hasFullLine = false;
        foreach (var memory in lines)
        {
            var line = memory.Span.TrimEnd("\r\n"u8);
            if (Restored(line) is { } restored)
            {
                (run ??= new List<byte>()).AddRange(restored);
                hasFullLine |= ((line[0] - 0x20) & 0x3F) == 45;
                continue;
            }

            if (run is not null && hasFullLine)
            {
                yield return Decode(run);
            }

            run = null;
            hasFullLine = false;
        }

        if (run is not null && hasFullLine)
        {
            yield return Decode(run);
        }
    }

    /// <summary>
    /// A uuencoded line (a length character, then that many bytes in groups of four characters) with its lost
    /// trailing characters put back as '`' (zero) and CR LF added; null when the line is not uuencoded.
    /// </summary>
    private static byte[]? Restored(ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[0] is < 0x21 or > 0x60)
        {
            return null;
        }

        var length = (line[0] - 0x20) & 0x3F;
        var needed = (length + 2) / 3 * 4;
        if (length is 0 or > 45 || line.Length - 1 < needed - MaxMissingCharacters)
        {
            return null;
        }

        foreach (var b in line[1..])
        {
            if (b is < 0x20 or > 0x60)
            {
                return null;
            }
        }

        var restored = new byte[Math.Max(line.Length, needed + 1) + 2];
        line.CopyTo(restored);
        restored.AsSpan(line.Length, restored.Length - 2 - line.Length).Fill((byte)'`');
        restored[^2] = (byte)'\r';
        restored[^1] = (byte)'\n';
        return restored;
    }

    private static byte[] Decode(List<byte> run)
    {
        var input = run.ToArray();
        var decoder = new UUDecoder(payloadOnly: true);
        var output = new byte[decoder.EstimateOutputLength(input.Length)];
        var length = decoder.Decode(input, 0, input.Length, output);
        return output[..length];
    }
}
