namespace MailGateway.Gateway.Smtp;

/// <summary>What a command did, as the state table needs to know it to choose the next state.</summary>
public enum SmtpEvent
{
    /// <summary>Nothing that moves the session (a refusal, NOOP, VRFY, HELP, QUIT).</summary>
    None,

    /// <summary>HELO or EHLO accepted: any transaction is gone.</summary>
    Greeted,

    MailAccepted,
    RecipientAccepted,

    /// <summary>A BDAT chunk that was not the last was taken.</summary>
    ChunkAccepted,

    /// <summary>DATA or BDAT LAST ended (stored or refused), or a chunk failed: the transaction is over.</summary>
    TransactionEnded,

    /// <summary>RSET.</summary>
    TransactionReset,

    /// <summary>The TLS handshake finished: the session starts again from the greeting.</summary>
    TlsStarted,
}
