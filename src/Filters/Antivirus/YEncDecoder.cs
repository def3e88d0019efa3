using MimeKit.Encodings;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Finds yEnc blocks ("=ybegin" ... "=yend"), the Usenet encoding some clients also decode inside mail, and has
/// MimeKit's <see cref="YDecoder"/> decode each one's data lines.
/// </summary>
public static class YEncDecoder
{
    /// <summary>The decoded bytes of each "=ybegin" block among <paramref name="lines"/>.</summary>
    public static IEnumerable<byte[]> Blocks(IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        List<byte>? data = null;
        foreach (var memory in lines)
        {
            var line = memory.Span;
            if (line.StartsWith("=ybegin"u8))
            {
                data = new List<byte>();
            }
            else if (data is not null && line.StartsWith("=yend"u8))
            {
                yield return Decode(data);
                data = null;
            }
            else if (data is not null && !line.StartsWith("=ypart"u8))
            {
                data.AddRange(line);
                data.Add((byte)'\r');
                data.Add((byte)'\n');
            }
        }

        if (data is not null)
        {
            yield return Decode(data);
        }
    }

    private static byte[] Decode(List<byte> data)
    {
        var input = data.ToArray();
        var decoder = new YDecoder(payloadOnly: true);
        var output = new byte[decoder.EstimateOutputLength(input.Length)];
        var length = decoder.Decode(input, 0, input.Length, output);
        return output[..length];
    }
}
