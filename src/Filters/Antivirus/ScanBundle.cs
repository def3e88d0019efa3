using System.Text;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Packs decoded parts into one POSIX tar archive so that clamd scans them all in a single INSTREAM: clamd unpacks tar
/// and types each member on its own (a zip member is opened as a zip), and one round trip per message costs far less
/// than one per part.
/// </summary>
public static class ScanBundle
{
    private const int BlockSize = 512;

    /// <summary>Writes <paramref name="parts"/> as tar members named by their number and decoding method.</summary>
    public static MemoryStream Create(IReadOnlyList<TolerantPart> parts)
    {
        var size = parts.Sum(p => BlockSize + RoundUp(p.Content.Length)) + 2 * BlockSize;
        var tar = new MemoryStream(size);
        var header = new byte[BlockSize];
        for (var i = 0; i < parts.Count; i++)
        {
            WriteHeader(header, $"{i}.{parts[i].Method}", parts[i].Content.Length);
            tar.Write(header);
            tar.Write(parts[i].Content);
            tar.Write(new byte[RoundUp(parts[i].Content.Length) - parts[i].Content.Length]);
        }

        tar.Write(new byte[2 * BlockSize]);
        tar.Position = 0;
        return tar;
    }

    private static void WriteHeader(byte[] header, string name, long length)
    {
        Array.Clear(header);
        Encoding.ASCII.GetBytes(name, header.AsSpan(0, 100));
        Octal(header.AsSpan(100, 8), 0x1A4); // mode 0644
        Octal(header.AsSpan(108, 8), 0);
        Octal(header.AsSpan(116, 8), 0);
        Octal(header.AsSpan(124, 12), length);
        Octal(header.AsSpan(136, 12), 0);
        header[156] = (byte)'0';
        "ustar\u000000"u8.CopyTo(header.AsSpan(257));
        header.AsSpan(148, 8).Fill((byte)' ');
        var checksum = 0;
        foreach (var b in header)
        {
            checksum += b;
        }

        Octal(header.AsSpan(148, 7), checksum);
    }

    /// <summary>Zero-padded octal digits, NUL-terminated, filling <paramref name="field"/>.</summary>
    private static void Octal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(digits, field);
        field[^1] = 0;
    }

    private static int RoundUp(int length) => (length + BlockSize - 1) / BlockSize * BlockSize;
}
