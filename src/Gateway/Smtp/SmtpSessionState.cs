namespace MailGateway.Gateway.Smtp;

/// <summary>Where a session is in the RFC 5321 command sequence.</summary>
public enum SmtpSessionState
{
    /// <summary>Greeting sent; no HELO/EHLO yet.</summary>
    Connected,

    /// <summary>HELO/EHLO done; no transaction.</summary>
    Greeted,

    /// <summary>MAIL accepted; no recipient yet.</summary>
    MailGiven,

    /// <summary>At least one RCPT accepted: DATA or BDAT may follow.</summary>
    RecipientGiven,

    /// <summary>BDAT chunks received, the last one not yet (RFC 3030): only BDAT (and RSET, NOOP, QUIT …) may follow.</summary>
    ReceivingChunks,
}
