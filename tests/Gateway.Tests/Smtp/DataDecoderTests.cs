using System.Text;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

public class DataDecoderTests
{
    private static (string Message, int Consumed, DataDecoder Decoder) Decode(string wire, int pieceSize = int.MaxValue,
        long max = 1_000_000)
    {
        var bytes = Encoding.Latin1.GetBytes(wire);
        var sink = new MemoryStream();
        var decoder = new DataDecoder(sink, max);
        var consumed = -1;
        for (var offset = 0; offset < bytes.Length && consumed < 0; offset += pieceSize)
        {
            var piece = bytes.AsSpan(offset, Math.Min(pieceSize, bytes.Length - offset));
            var end = decoder.Decode(piece);
            if (end >= 0)
            {
                consumed = offset + end;
            }
        }

        return (Encoding.Latin1.GetString(sink.ToArray()), consumed, decoder);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Dot_stuffed_lines_are_unstuffed_and_the_message_ends_at_crlf_dot_crlf(int pieceSize)
    {
        var (message, consumed, _) = Decode("Subject: x\r\n\r\n..leading dot\r\n...\r\nlast\r\n.\r\nQUIT\r\n", pieceSize);
        Assert.Equal("Subject: x\r\n\r\n.leading dot\r\n..\r\nlast\r\n", message);
        Assert.Equal("Subject: x\r\n\r\n..leading dot\r\n...\r\nlast\r\n.\r\n".Length, consumed);
    }

    [Fact]
    public void An_empty_message_ends_at_the_first_dot_line()
    {
        var (message, consumed, _) = Decode(".\r\n");
        Assert.Equal("", message);
        Assert.Equal(3, consumed);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\r")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\r")]
    [InlineData("\r\n.\n")]
    [InlineData("\r.\r\n")]
    [InlineData("\n.\r")]
    [InlineData("\r\n.\r\r\n")]
    public void Smuggling_end_markers_do_not_end_the_message(string fakeEnd)
    {
        foreach (var piece in new[] { int.MaxValue, 1 })
        {
            var wire = "Subject: a\r\n\r\nbody" + fakeEnd + "MAIL FROM:<x@y>\r\n.\r\n";
            var (message, consumed, _) = Decode(wire, piece);
            Assert.Equal(wire.Length, consumed);
            Assert.Contains("MAIL FROM:<x@y>", message);
        }
    }

    [Fact]
    public void Bare_line_ends_are_stored_as_crlf_and_reported()
    {
        var (message, _, decoder) = Decode("a\nb\rc\r\n.\r\n");
        Assert.Equal("a\r\nb\r\nc\r\n", message);
        Assert.True(decoder.SawBareLineFeed);
        Assert.True(decoder.SawBareCarriageReturn);
    }

    [Fact]
    public void A_clean_message_reports_no_bare_line_ends()
    {
        var (_, _, decoder) = Decode("a\r\nb\r\n.\r\n");
        Assert.False(decoder.SawBareLineFeed);
        Assert.False(decoder.SawBareCarriageReturn);
    }

    [Fact]
    public void Over_the_limit_the_rest_is_read_but_not_written()
    {
        var body = new string('x', 5000) + "\r\n";
        var (message, consumed, decoder) = Decode(body + ".\r\nNOOP\r\n", 100, max: 1000);
        Assert.True(decoder.TooBig);
        Assert.Equal(1000, message.Length);
        Assert.Equal(body.Length + 3, consumed);
        Assert.Equal(body.Length, decoder.MessageBytes);
    }

    [Fact]
    public void Eight_bit_and_nul_bytes_pass_through_unchanged()
    {
        var (message, _, _) = Decode("\u00e9\u00ff\0z\r\n.\r\n");
        Assert.Equal("\u00e9\u00ff\0z\r\n", message);
    }
}
