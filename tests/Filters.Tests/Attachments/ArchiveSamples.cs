using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using MailGateway.Filters.Chain;
using MimeKit;
using SharpCompress.Common;
using SharpCompress.Writers.SevenZip;

namespace MailGateway.Filters.Tests.Attachments;

/// <summary>Real archives built in the test (System.IO.Compression, SharpCompress's 7z writer, Info-ZIP's zip -P) and messages carrying them.</summary>
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
