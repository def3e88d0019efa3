using System.Text;
using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class LenientBase64Tests
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("ABCD\t01234=56789 the payload a client would save");

    [Fact]
    public void Well_formed_base64_gives_a_single_interpretation()
    {
        var lines = Lines(Convert.ToBase64String(Payload, Base64FormattingOptions.InsertLineBreaks));

        var decoded = Assert.Single(LenientBase64.Interpretations(lines));

        Assert.Equal(Payload, decoded);
    }

    [Fact]
    public void Padding_after_every_group_is_read_by_the_restarting_interpretation()
    {
        var groups = Chunk(Convert.ToBase64String(Payload).TrimEnd('='), 4);
        var lines = Lines(string.Join("=", groups) + "=");

        Assert.Contains(LenientBase64.Interpretations(lines), d => d.AsSpan().SequenceEqual(Payload));
    }

    [Fact]
    public void Padding_inside_a_group_is_read_by_the_counting_interpretation()
    {
        // "UA==" written as "U=A=": four characters, one byte.
        var lines = Lines("U=A=SwM=");

        Assert.Contains(LenientBase64.Interpretations(lines), d => d.AsSpan().SequenceEqual("PK\u0003"u8));
    }

    [Fact]
    public void Junk_after_a_line_start_is_cut_off_by_the_line_prefix_interpretation()
    {
        var encoded = Convert.ToBase64String(Payload);
        var lines = Lines(encoded[..3] + "#abce01234567fghj", encoded[3..]);

        Assert.Contains(LenientBase64.Interpretations(lines), d => d.AsSpan().SequenceEqual(Payload));
    }

    [Fact]
    public void A_junk_character_at_each_line_end_is_dropped_by_the_whole_groups_interpretation()
    {
        var lines = Lines(Chunk(Convert.ToBase64String(Payload), 4).Select(g => g + "X").ToArray());

        Assert.Contains(LenientBase64.Interpretations(lines), d => d.AsSpan().SequenceEqual(Payload));
    }

    [Fact]
    public void Ignoring_padding_decodes_through_equals_signs_in_the_middle()
    {
        var encoded = Convert.ToBase64String(Payload);
        var decoded = LenientBase64.DecodeIgnoringPadding(Encoding.ASCII.GetBytes(encoded[..8] + "==" + encoded[8..]));

        Assert.Equal(Payload, decoded);
    }

    private static string[] Chunk(string text, int size) =>
        Enumerable.Range(0, (text.Length + size - 1) / size).Select(i => text.Substring(i * size, Math.Min(size, text.Length - i * size))).ToArray();

    private static List<ReadOnlyMemory<byte>> Lines(params string[] lines) =>
        lines.SelectMany(l => l.Split("\r\n")).Select(l => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(l)).ToList();
}
