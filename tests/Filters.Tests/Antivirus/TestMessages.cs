using System.IO.Compression;
using System.Text;
using MimeKit;

namespace MailGateway.Filters.Tests.Antivirus;

/// <summary>Messages for the scanner tests, built here so that no test virus is stored in the repository.</summary>
internal static class TestMessages
{
    public const string TestFilesDirectory = "/usr/share/clamav-testfiles";

    /// <summary>The EICAR test string, assembled at run time.</summary>
    public static byte[] Eicar { get; } = Encoding.ASCII.GetBytes(
        string.Concat(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS", "-TEST-FILE!$H+H*"));

    public static MemoryStream WithAttachment(string fileName, byte[] content, string mimeType = "application/octet-stream")
    {
        var body = new BodyBuilder { TextBody = "Please find the file attached.\n" };
        body.Attachments.Add(fileName, content, ContentType.Parse(mimeType));
        return Write(body.ToMessageBody());
    }

    public static MemoryStream Clean(int approximateSize)
    {
        var text = new StringBuilder();
        var line = 0;
        while (text.Length < approximateSize)
        {
            text.Append("Line ").Append(line++).Append(": the quarterly figures are in the attached sheet, as agreed.\n");
        }

        var body = new BodyBuilder { TextBody = text.ToString() };
        body.Attachments.Add("notes.zip", Zip(("notes.txt", Encoding.UTF8.GetBytes("nothing to see here\n"))), ContentType.Parse("application/zip"));
        return Write(body.ToMessageBody());
    }

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] TestFile(string name) => File.ReadAllBytes(Path.Combine(TestFilesDirectory, name));

    private static MemoryStream Write(MimeEntity body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender", "sender@example.org"));
        message.To.Add(new MailboxAddress("Recipient", "recipient@example.com"));
        message.Subject = "Documents";
        message.Body = body;
        var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return stream;
    }
}
