using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.IO.Hashing;
using System.Net;
using MailGateway.Filters.Chain;
using MimeKit;
using SharpCompress.Common;
using SharpCompress.Writers.SevenZip;

namespace MailGateway.Filters.Tests.Attachments;

/// <summary>
/// Real archives built in the test (System.IO.Compression, SharpCompress's 7z writer, Info-ZIP's zip -P, 7-Zip's 7zz, and RAR 4
/// written by <see cref="Rar"/>) and messages carrying them.
/// </summary>
public static class ArchiveSamples
{
    /// <summary>The start of a Windows executable: what a renamed invoice.pdf may really be.</summary>
    public static byte[] Executable { get; } = [.. "MZ"u8, .. new byte[510]];

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] SevenZip(params (string Name, byte[] Content)[] entries)
    {
        var buffer = new MemoryStream();
        using (var writer = new SevenZipWriter(buffer, new SevenZipWriterOptions(CompressionType.LZMA) { LeaveStreamOpen = true }))
        {
            foreach (var (name, content) in entries)
            {
                writer.Write(name, new MemoryStream(content), DateTime.UtcNow);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A RAR 4 archive of stored (uncompressed) entries, written byte by byte after RARLAB's format description
    /// (technote.txt: marker block, archive header, one file header per entry with the entry's CRC-32, end of archive;
    /// each header's CRC is the low 16 bits of the CRC-32 of the header after its CRC field). Debian ships no RAR writer
    /// (rar is non-free), and SharpCompress only reads RAR, so the test writes the format itself; SharpCompress reading
    /// it back is what the filter relies on.
    /// </summary>
    public static byte[] Rar(params (string Name, byte[] Content)[] entries)
    {
        var rar = new MemoryStream();
        rar.Write("Rar!\x1A\x07\x00"u8);
        WriteRarHeader(rar, 0x73, 0x0000, new byte[6]); // archive header: two reserved fields
        foreach (var (name, content) in entries)
        {
            var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
            var fields = new byte[25 + nameBytes.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(fields.AsSpan(0), (uint)content.Length); // packed size
            BinaryPrimitives.WriteUInt32LittleEndian(fields.AsSpan(4), (uint)content.Length); // unpacked size
            fields[8] = 3; // host OS: Unix
            BinaryPrimitives.WriteUInt32LittleEndian(fields.AsSpan(9), Crc32.HashToUInt32(content));
            BinaryPrimitives.WriteUInt32LittleEndian(fields.AsSpan(13), 0x5B210000); // DOS time: 2025-09-01 00:00
            fields[17] = 20; // version needed to extract: 2.0
            fields[18] = 0x30; // method: store
            BinaryPrimitives.WriteUInt16LittleEndian(fields.AsSpan(19), (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(fields.AsSpan(21), 0x81A4); // Unix mode 0100644
            nameBytes.CopyTo(fields.AsSpan(25));
            WriteRarHeader(rar, 0x74, 0x8000, fields); // 0x8000: a data area follows the header
            rar.Write(content);
        }

        WriteRarHeader(rar, 0x7B, 0x4000, []); // end of archive
        return rar.ToArray();
    }

    private static void WriteRarHeader(Stream rar, byte type, ushort flags, byte[] fields)
    {
        var header = new byte[7 + fields.Length];
        header[2] = type;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(3), flags);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(5), (ushort)header.Length);
        fields.CopyTo(header.AsSpan(7));
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)Crc32.HashToUInt32(header.AsSpan(2)));
        rar.Write(header);
    }

    /// <summary>A ZipCrypto password-protected zip made by Info-ZIP's <c>zip -P</c> (Debian package zip).</summary>
    public static byte[] EncryptedZip(string entryName, byte[] content)
    {
        var folder = Directory.CreateTempSubdirectory("mailgw-zip-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, entryName), content);
            var psi = new ProcessStartInfo("zip", ["-q", "-P", "secret", "locked.zip", entryName])
            {
                WorkingDirectory = folder,
                RedirectStandardError = true,
            };
            using var zip = Process.Start(psi)!;
            zip.WaitForExit();
            Assert.True(zip.ExitCode == 0, "zip -P failed: " + zip.StandardError.ReadToEnd());
            return File.ReadAllBytes(Path.Combine(folder, "locked.zip"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An AES-encrypted 7z made by 7-Zip's <c>7zz a -p</c> (Debian package 7zip); with its headers (names) encrypted too or not.</summary>
    public static byte[] EncryptedSevenZip(string entryName, byte[] content, bool encryptHeaders)
    {
        var folder = Directory.CreateTempSubdirectory("mailgw-7z-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, entryName), content);
            var psi = new ProcessStartInfo("7zz", ["a", "-bso0", "-psecret", encryptHeaders ? "-mhe=on" : "-mhe=off", "locked.7z", entryName])
            {
                WorkingDirectory = folder,
                RedirectStandardError = true,
            };
            using var sevenZip = Process.Start(psi)!;
            sevenZip.WaitForExit();
            Assert.True(sevenZip.ExitCode == 0, "7zz a -p failed: " + sevenZip.StandardError.ReadToEnd());
            return File.ReadAllBytes(Path.Combine(folder, "locked.7z"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static MimeMessage WithAttachments(params (string Name, byte[] Content)[] attachments)
    {
        var builder = new BodyBuilder { TextBody = "see attached" };
        foreach (var (name, content) in attachments)
        {
            builder.Attachments.Add(name, content, new ContentType("application", "octet-stream"));
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@sender.test"));
        message.To.Add(MailboxAddress.Parse("bob@example.org"));
        message.Subject = "attachments";
        message.Body = builder.ToMessageBody();
        return message;
    }

    public static MessageContext Context(MimeMessage message)
    {
        var buffer = new MemoryStream();
        message.WriteTo(FormatOptions.Default, buffer);
        return Context(buffer.ToArray());
    }

    public static MessageContext Context(byte[] bytes) =>
        new("a1", new MessageEnvelope("s1", IPAddress.Loopback, "helo", "sender@sender.test", ["bob@example.org"]),
            () => new MemoryStream(bytes, writable: false), bytes.Length);
}
