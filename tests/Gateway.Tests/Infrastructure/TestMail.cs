using System.IO.Compression;
using System.Text;
using MimeKit;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>Messages the tests send: with attachments, EICAR, the clamav-testfiles samples.</summary>
public static class TestMail
{
    public const string ClamTestFiles = "/usr/share/clamav-testfiles";

    /// <summary>The EICAR test string, assembled at run time so no file in the repository is "infected".</summary>
    public static byte[] Eicar { get; } = Encoding.ASCII.GetBytes(
        string.Concat(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS", "-TEST-FILE!$H+H*"));

    public static MimeMessage Text(string to, string subject, string body, string from = "sender@sender.test")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    public static MimeMessage WithAttachment(string to, string subject, string fileName, byte[] content)
    {
        var message = Text(to, subject, "see attachment");
        var builder = new BodyBuilder { TextBody = "see attachment" };
        builder.Attachments.Add(fileName, content, new ContentType("application", "octet-stream"));
        message.Body = builder.ToMessageBody();
        return message;
    }

    public static byte[] Zip(string entryName, byte[] content)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(entryName).Open();
            entry.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>Sends with MailKit; returns the server's final reply code and text (no exception for 4xx/5xx).</summary>
    public static async Task<(int Code, string Text)> SendAsync(int port, MimeMessage message)
    {
        using var smtp = new MailKit.Net.Smtp.SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        try
        {
            var response = await smtp.SendAsync(message);
            return (250, response);
        }
        catch (MailKit.Net.Smtp.SmtpCommandException ex)
        {
            return ((int)ex.StatusCode, ex.Message);
        }
        finally
        {
            await smtp.DisconnectAsync(true);
        }
    }
}
