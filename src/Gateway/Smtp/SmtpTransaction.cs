using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp.Requests;

namespace MailGateway.Gateway.Smtp;

/// <summary>The mail transaction being built between MAIL and the end of DATA or BDAT LAST.</summary>
public sealed class SmtpTransaction(MailPath? from, bool smtpUtf8, MailBody body) : IDisposable
{
    private readonly List<MailPath> _recipients = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Null for the null reverse-path &lt;&gt; (bounces).</summary>
    public MailPath? From { get; } = from;

    public bool SmtpUtf8 { get; } = smtpUtf8;

    /// <summary>The declared body type (7BIT or 8BITMIME).</summary>
    public MailBody Body { get; } = body;

    public IReadOnlyList<MailPath> Recipients => _recipients;

    /// <summary>RCPT commands refused in this transaction (decides 554 vs 503 for a pipelined DATA).</summary>
    public int RejectedRecipients { get; set; }

    /// <summary>How many RCPT commands were accepted, repeats included (the limit counts commands).</summary>
    public int AcceptedRcptCommands { get; set; }

    /// <summary>The message being received by BDAT chunks, from the first chunk to BDAT LAST.</summary>
    public ChunkedMessage? Chunks { get; set; }

    /// <summary>Adds a recipient; a repeat of the same mailbox is accepted but delivered once.</summary>
    public void AddRecipient(MailPath recipient)
    {
        if (_seen.Add(recipient.MailboxKey))
        {
            _recipients.Add(recipient);
        }
    }

    /// <summary>Drops the chunks received so far (RSET, a new greeting, a failed chunk, the end of the session).</summary>
    public void Dispose()
    {
        Chunks?.Dispose();
        Chunks = null;
    }
}
