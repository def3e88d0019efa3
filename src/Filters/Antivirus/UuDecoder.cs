namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Finds and decodes uuencoded data in a message's lines, with or without its "begin 644 name" line: clients decode
/// a "begin" block even in a plain-text part, and some decode a part labelled x-uuencode that has no "begin" at all.
/// </summary>
public static class UuDecoder
{
    /// <summary>Trailing characters a line may have lost (transports strip trailing spaces, which encode zeros).</summary>
    private const int MaxMissingCharacters = 8;

    /// <summary>The decoded bytes of each run of uuencoded lines that holds at least one full (45-byte) line.</summary>
    public static IEnumerable<byte[]> Blocks(IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        List<byte>? current = null;
        var hasFullLine = false;
        foreach (var memory in lines)
        {
            var line = Trim(memory.Span);
            if (TryDecodeLine(line, out var bytes))
            {
                current ??= new List<byte>();
                current.AddRange(bytes);
                hasFullLine |= bytes.Length == 45;
                continue;
            }

            if (current is not null && hasFullLine)
            {
                yield return current.ToArray();
            }

            current = null;
            hasFullLine = false;
        }

        if (current is not null && hasFullLine)
        {
            yield return current.ToArray();
        }
    }

    /// <summary>One uuencoded line: a length character, then that many bytes in groups of four characters.</summary>
    public static bool TryDecodeLine(ReadOnlySpan<byte> line, out byte[] bytes)
    {
        bytes = [];
        if (line.Length < 2 || line[0] is < 0x21 or > 0x60)
        {
            return false;
        }

        var length = (line[0] - 0x20) & 0x3F;
        var needed = (length + 2) / 3 * 4;
        if (length is 0 or > 45 || line.Length - 1 < needed - MaxMissingCharacters)
        {
            return false;
        }

        foreach (var b in line[1..])
        {
            if (b is < 0x20 or > 0x60)
            {
                return false;
            }
        }

        var output = new byte[needed / 4 * 3];
        for (int i = 1, o = 0; o < output.Length; i += 4, o += 3)
        {
            var bits = (Six(line, i) << 18) | (Six(line, i + 1) << 12) | (Six(line, i + 2) << 6) | Six(line, i + 3);
            output[o] = (byte)(bits >> 16);
            output[o + 1] = (byte)(bits >> 8);
            output[o + 2] = (byte)bits;
        }

        bytes = output[..length];
        return true;
    }

    /// <summary>The six bits of character <paramref name="i"/>; a character cut off the line end counts as a space.</summary>
    private static int Six(ReadOnlySpan<byte> line, int i) => i < line.Length ? (line[i] - 0x20) & 0x3F : 0;

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) => line.TrimEnd("\r\n"u8);
}
