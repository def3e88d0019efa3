using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Text;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// Reads the PROXY protocol header (HAProxy's v1 text or v2 binary) that a trusted load balancer sends before any
/// SMTP byte, and returns the original client's address. Only used for connections from <c>Smtp:TrustedProxies</c>;
/// from anyone else such a header is just a bad command.
/// </summary>
public static class ProxyProtocol
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
    private static readonly byte[] V1Prefix = "PROXY "u8.ToArray();
    private const int V1MaxLength = 107;

    /// <summary>The outcome: the client's address, or null for LOCAL/UNKNOWN (a health check: use the proxy's own).</summary>
    public sealed record Header(IPEndPoint? Source);

    /// <summary>Reads one header; throws <see cref="InvalidDataException"/> when the bytes are not a PROXY header.</summary>
    public static async Task<Header> ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var parsed = TryParse(buffer, out var consumed, out var header);
            if (parsed)
            {
                reader.AdvanceTo(consumed);
                return header!;
            }

            if (result.IsCompleted)
            {
                throw new InvalidDataException("connection closed before a complete PROXY header");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True with the header when <paramref name="buffer"/> starts with a complete one; false when more is needed.</summary>
    public static bool TryParse(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out Header? header)
    {
        consumed = buffer.Start;
        header = null;
        var first = buffer.Slice(0, Math.Min(buffer.Length, 16)).ToArray();
        if (IsPrefixOf(first, V2Signature))
        {
            return first.Length >= 16 && TryParseV2(buffer, first, out consumed, out header);
        }

        if (IsPrefixOf(first, V1Prefix))
        {
            return TryParseV1(buffer, out consumed, out header);
        }

        throw new InvalidDataException("expected a PROXY protocol header from a trusted proxy");
    }

    private static bool IsPrefixOf(byte[] data, byte[] prefix)
    {
        var n = Math.Min(data.Length, prefix.Length);
        return data.AsSpan(0, n).SequenceEqual(prefix.AsSpan(0, n));
    }

    private static bool TryParseV2(ReadOnlySequence<byte> buffer, byte[] first, out SequencePosition consumed, out Header? header)
    {
        consumed = buffer.Start;
        header = null;
        var versionCommand = first[12];
        if (versionCommand >> 4 != 2)
        {
            throw new InvalidDataException("PROXY v2 header with an unknown version");
        }

        var family = first[13];
        var length = BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(14, 2));
        if (buffer.Length < 16 + length)
        {
            return false;
        }

        var body = buffer.Slice(16, length).ToArray();
        consumed = buffer.GetPosition(16 + length);
        var command = versionCommand & 0x0F;
        if (command == 0)
        {
            header = new Header(null); // LOCAL: the proxy speaking for itself (health checks).
            return true;
        }

        header = (family >> 4) switch
        {
            1 when body.Length >= 12 => new Header(new IPEndPoint(new IPAddress(body.AsSpan(0, 4)),
                BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(8, 2)))),
            2 when body.Length >= 36 => new Header(new IPEndPoint(new IPAddress(body.AsSpan(0, 16)),
                BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(32, 2)))),
            0 => new Header(null),
            _ => throw new InvalidDataException("PROXY v2 header with an unsupported address family"),
        };
        return true;
    }

    private static bool TryParseV1(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out Header? header)
    {
        consumed = buffer.Start;
        header = null;
        var lf = buffer.PositionOf((byte)'\n');
        if (lf is null)
        {
            if (buffer.Length > V1MaxLength)
            {
                throw new InvalidDataException("PROXY v1 header too long");
            }

            return false;
        }

        var line = Encoding.ASCII.GetString(buffer.Slice(0, lf.Value)).TrimEnd('\r');
        consumed = buffer.GetPosition(1, lf.Value);
        var parts = line.Split(' ');
        if (parts.Length >= 2 && parts[1] == "UNKNOWN")
        {
            header = new Header(null);
            return true;
        }

        if (parts.Length != 6 || parts[1] is not ("TCP4" or "TCP6")
            || !IPAddress.TryParse(parts[2], out var source) || !ushort.TryParse(parts[4], out var port))
        {
            throw new InvalidDataException($"malformed PROXY v1 header '{line}'");
        }

        header = new Header(new IPEndPoint(source, port));
        return true;
    }
}
