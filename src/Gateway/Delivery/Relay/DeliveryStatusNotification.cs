using System.Text;
using MimeKit;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The bounce for recipients the relay gave up on: an RFC 3464 <c>multipart/report; report-type=delivery-status</c>
/// with a readable explanation, the machine-readable status per recipient, and the original message's header.
/// It is sent from the null sender, so it can never bounce in turn.
/// </summary>
public static class DeliveryStatusNotification
{
    private const int MaxOriginalHeaderBytes = 64 * 1024;

    public static MimeMessage Create(string reportingMta, QueueEntry original, byte[] originalHeader,
        IReadOnlyList<FailedRecipient> failed, DateTimeOffset now)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingMta}"));
        message.To.Add(MailboxAddress.Parse(original.From));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.Date = now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(reportingMta);
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var text = new StringBuilder()
            .Append("This is the mail gateway at ").Append(reportingMta).Append(".\n\n")
            .Append("Your message could not be delivered to the following recipients:\n\n");
        foreach (var f in failed)
        {
            text.Append('<').Append(f.Address).Append(">: ").Append(f.Diagnostic).Append('\n');
        }

        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", $"dns; {reportingMta}" },
            { "X-MailGateway-Queue-ID", original.Id },
            { "Arrival-Date", MimeKit.Utils.DateUtils.FormatDate(original.ReceivedAt) },
        };
        status.StatusGroups.Add(perMessage);
        foreach (var f in failed)
        {
            var group = new HeaderList
            {
                { "Final-Recipient", $"rfc822; {f.Address}" },
                { "Action", "failed" },
                { "Status", f.Status },
            };
            if (f.RemoteMta is not null)
            {
                group.Add("Remote-MTA", $"dns; {f.RemoteMta}");
            }

            group.Add("Diagnostic-Code", $"smtp; {f.Diagnostic}");
            group.Add("Last-Attempt-Date", MimeKit.Utils.DateUtils.FormatDate(now));
            status.StatusGroups.Add(group);
        }

        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = text.ToString() },
            status,
            new MimePart("text", "rfc822-headers")
            {
                Content = new MimeContent(new MemoryStream(originalHeader)),
            },
        };
        message.Body = report;
        return message;
    }

    /// <summary>
    /// The header block (up to the empty line) of the message <paramref name="message"/> starts with, capped so a huge
    /// header cannot bloat the bounce.
    /// </summary>
    public static byte[] HeaderOf(Stream message)
    {
        var buffer = new byte[MaxOriginalHeaderBytes];
        var read = message.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var span = buffer.AsSpan(0, read);
        var end = span.IndexOf("\r\n\r\n"u8);
        return end >= 0 ? span[..(end + 2)].ToArray() : span.ToArray();
    }
}
