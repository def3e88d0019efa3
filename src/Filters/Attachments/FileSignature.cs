using System.Buffers.Binary;

namespace MailGateway.Filters.Attachments;

/// <summary>
/// Tells a file's real type from its first bytes ("magic"), so a renamed <c>invoice.pdf</c> that is an MZ executable is
/// still an executable. <see cref="SniffLength"/> bytes are enough for every signature here (ISO 9660's is the
/// furthest in, at 0x8001).
/// </summary>
public static class FileSignature
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs to see every type it knows.</summary>
    public const int SniffLength = IsoOffset + 5;

    private const int IsoOffset = 0x8001;

    public static FileKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("MZ"u8))
        {
            return FileKind.PeExecutable;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']))
        {
            return FileKind.Elf;
        }

        if (head.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(head) is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE)
        {
            return FileKind.MachO;
        }

        if (head.Length >= 8 && BinaryPrimitives.ReadUInt32BigEndian(head) == 0xCAFEBABE)
        {
            // Universal Mach-O binaries and Java classes share this magic: the next word is an architecture count
            // (a handful) in one and a class-file version (45 and up) in the other.
            return BinaryPrimitives.ReadUInt32BigEndian(head[4..]) < 45 ? FileKind.MachO : FileKind.JavaClass;
        }

        if (head.StartsWith("#!"u8))
        {
            return FileKind.ShellScript;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00]))
        {
            return FileKind.Lnk;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return FileKind.OleCompound;
        }

        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8) || head.StartsWith("PK\x07\x08"u8))
        {
            return FileKind.Zip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return FileKind.SevenZip;
        }

        if (head.StartsWith("Rar!\x1A\x07"u8))
        {
            return FileKind.Rar;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return FileKind.Gzip;
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return FileKind.Pdf;
        }

        if (head.Length >= SniffLength && head.Slice(IsoOffset, 5).SequenceEqual("CD001"u8))
        {
            return FileKind.Iso;
        }

        return FileKind.Other;
    }

    /// <summary>Whether SharpCompress is asked to open it (one level down).</summary>
    public static bool IsOpenableArchive(FileKind kind) => kind is FileKind.Zip or FileKind.SevenZip or FileKind.Rar;

    /// <summary>Any archive or compressed file, opened or not (for the trace: what a nested level holds is not read).</summary>
    public static bool IsArchive(FileKind kind) => IsOpenableArchive(kind) || kind == FileKind.Gzip;
}
