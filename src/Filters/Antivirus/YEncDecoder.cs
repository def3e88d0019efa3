namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Decodes yEnc blocks ("=ybegin" ... "=yend"), the Usenet encoding some clients also decode inside mail.
/// </summary>
public static class YEncDecoder
{
    /// <summary>The decoded bytes of each "=ybegin" block among <paramref name="lines"/>.</summary>
    public static IEnumerable<byte[]> Blocks(IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        List<byte>? current = null;
        foreach (var memory in lines)
        {
            var line = memory.Span;
            if (line.StartsWith("=ybegin"u8))
            {
                current = new List<byte>();
            }
            else if (current is not null && line.StartsWith("=yend"u8))
            {
                yield return current.ToArray();
                current = null;
            }
            else if (current is not null && !line.StartsWith("=ypart"u8))
            {
                DecodeLine(line, current);
            }
        }

        if (current is not null)
        {
            yield return current.ToArray();
        }
    }

    private static void DecodeLine(ReadOnlySpan<byte> line, List<byte> output)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            if (line[i] == (byte)'=' && i + 1 < line.Length)
            {
                output.Add((byte)(line[++i] - 64 - 42));
            }
            else
            {
                output.Add((byte)(line[i] - 42));
            }
        }
    }
}
