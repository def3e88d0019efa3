using System.Text;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

public class LineEndingNormalizerTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n", false, false)]
    [InlineData("a\nb\n", "a\r\nb\r\n", true, false)]
    [InlineData("a\rb\r", "a\r\nb\r\n", false, true)]
    [InlineData("a\r\r\nb", "a\r\n\r\nb", false, true)]
    [InlineData("\n\r\n\r", "\r\n\r\n\r\n", true, true)]
    public void Every_line_end_becomes_crlf_however_the_bytes_are_split(string input, string expected, bool lf, bool cr)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        for (var piece = 1; piece <= bytes.Length; piece++)
        {
            var sink = new MemoryStream();
            var normalizer = new LineEndingNormalizer(sink);
            for (var i = 0; i < bytes.Length; i += piece)
            {
                normalizer.Write(bytes.AsSpan(i, Math.Min(piece, bytes.Length - i)));
            }

            normalizer.Complete();
            Assert.Equal(expected, Encoding.ASCII.GetString(sink.ToArray()));
            Assert.Equal(lf, normalizer.SawBareLineFeed);
            Assert.Equal(cr, normalizer.SawBareCarriageReturn);
        }
    }
}
