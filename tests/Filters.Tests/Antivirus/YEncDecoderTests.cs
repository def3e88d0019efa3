using System.Text;
using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class YEncDecoderTests
{
    [Fact]
    public void A_ybegin_block_decodes_with_its_escapes()
    {
        var payload = new byte[] { 0x00, 0x0A, 0x0D, 0x13 /* encodes as '=' */, 0x50, 0x4B, 0xFF };
        var encoded = new List<byte>();
        foreach (var b in payload)
        {
            var e = (byte)(b + 42);
            if (e is 0x00 or 0x0A or 0x0D or (byte)'=')
            {
                encoded.Add((byte)'=');
                e = (byte)(e + 64);
            }

            encoded.Add(e);
        }

        var lines = new ReadOnlyMemory<byte>[]
        {
            Encoding.ASCII.GetBytes("=ybegin line=128 size=7 name=a.bin"), encoded.ToArray(), Encoding.ASCII.GetBytes("=yend size=7"),
        };

        Assert.Equal(payload, Assert.Single(YEncDecoder.Blocks(lines)));
    }
}
