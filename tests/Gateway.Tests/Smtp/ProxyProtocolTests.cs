using System.Buffers;
using System.Net;
using System.Text;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

public class ProxyProtocolTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static (bool Ok, long Consumed, ProxyProtocol.Header? Header) Parse(byte[] bytes)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        var ok = ProxyProtocol.TryParse(sequence, out var consumed, out var header);
        return (ok, sequence.Slice(0, consumed).Length, header);
    }

    private static byte[] V2(byte command, byte family, byte[] addresses) =>
        [.. Signature, (byte)(0x20 | command), family, (byte)(addresses.Length >> 8), (byte)addresses.Length, .. addresses];

    [Fact]
    public void V1_tcp4_gives_the_source_address_and_consumes_only_the_header()
    {
        var (ok, consumed, header) = Parse(Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r\nEHLO x\r\n"));
        Assert.True(ok);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000), header!.Source);
        Assert.Equal("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r\n".Length, consumed);
    }

    [Fact]
    public void V2_tcp4_and_tcp6_give_the_source_address()
    {
        byte[] v4 = [192, 0, 2, 9, 127, 0, 0, 1, 0x9C, 0x40, 0, 25];
        var (ok, consumed, header) = Parse([.. V2(1, 0x11, v4), .. "EHLO"u8.ToArray()]);
        Assert.True(ok);
        Assert.Equal(16 + 12, consumed);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.9"), 40000), header!.Source);

        var v6 = new byte[36];
        IPAddress.Parse("2001:db8::5").GetAddressBytes().CopyTo(v6, 0);
        IPAddress.IPv6Loopback.GetAddressBytes().CopyTo(v6, 16);
        v6[32] = 0x01;
        v6[33] = 0x00;
        (ok, _, header) = Parse(V2(1, 0x21, v6));
        Assert.True(ok);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::5"), 256), header!.Source);
    }

    [Fact]
    public void V2_local_is_a_health_check_without_a_client_address()
    {
        var (ok, _, header) = Parse(V2(0, 0x00, []));
        Assert.True(ok);
        Assert.Null(header!.Source);
    }

    [Fact]
    public void An_incomplete_header_asks_for_more_bytes()
    {
        Assert.False(Parse(Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7")).Ok);
        Assert.False(Parse(Signature[..8]).Ok);
        Assert.False(Parse(V2(1, 0x11, [192, 0, 2, 9, 127, 0, 0, 1, 0x9C, 0x40, 0, 25])[..20]).Ok);
    }

    [Theory]
    [InlineData("EHLO client.test\r\n")]
    [InlineData("PROXY TCP4 not-an-ip 198.51.100.1 1 2\r\n")]
    [InlineData("PROXY TCP4 192.0.2.1\r\n")]
    public void Anything_else_is_refused(string text)
    {
        Assert.Throws<InvalidDataException>(() => Parse(Encoding.ASCII.GetBytes(text)));
    }
}
