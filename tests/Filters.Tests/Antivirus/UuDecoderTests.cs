using System.Text;
using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class UuDecoderTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 200).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void A_begin_block_decodes_to_the_original_bytes()
    {
        var lines = new[] { "begin 644 file.bin" }.Concat(Encode(Payload)).Concat(["`", "end"]);

        var block = Assert.Single(UuDecoder.Blocks(Lines(lines)));

        Assert.Equal(Payload, block);
    }

    [Fact]
    public void Lines_without_a_begin_line_are_found_too()
    {
        var block = Assert.Single(UuDecoder.Blocks(Lines(Encode(Payload))));

        Assert.Equal(Payload, block);
    }

    [Fact]
    public void Text_is_not_uuencoded()
    {
        var text = new[] { "Meeting notes for the quarterly review, see the attached figures", "More text follows." };

        Assert.Empty(UuDecoder.Blocks(Lines(text)));
    }

    /// <summary>Classic uuencoding with '`' for zero, 45 bytes a line.</summary>
    private static IEnumerable<string> Encode(byte[] data)
    {
        for (var at = 0; at < data.Length; at += 45)
        {
            var chunk = data.AsSpan(at, Math.Min(45, data.Length - at)).ToArray();
            var line = new StringBuilder().Append(Char(chunk.Length));
            for (var i = 0; i < chunk.Length; i += 3)
            {
                int b0 = chunk[i], b1 = i + 1 < chunk.Length ? chunk[i + 1] : 0, b2 = i + 2 < chunk.Length ? chunk[i + 2] : 0;
                line.Append(Char(b0 >> 2)).Append(Char(((b0 << 4) | (b1 >> 4)) & 63))
                    .Append(Char(((b1 << 2) | (b2 >> 6)) & 63)).Append(Char(b2 & 63));
            }

            yield return line.ToString();
        }
    }

    private static char Char(int six) => six == 0 ? '`' : (char)(six + 32);

    private static IEnumerable<ReadOnlyMemory<byte>> Lines(IEnumerable<string> lines) =>
        lines.Select(l => (ReadOnlyMemory<byte>)Encoding.Latin1.GetBytes(l));
}
