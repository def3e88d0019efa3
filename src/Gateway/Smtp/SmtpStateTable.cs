namespace MailGateway.Gateway.Smtp;

/// <summary>
/// The protocol as a table: which verbs each session state accepts, the 503 (or 554) an out-of-sequence verb gets,
/// and the state each command's outcome leads to. Commands never set the state themselves.
/// </summary>
public static class SmtpStateTable
{
    /// <summary>Pipelined DATA or BDAT after every RCPT failed (RFC 2920 3.1).</summary>
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "Error: no valid recipients");

    // RSET, NOOP, QUIT, VRFY, HELP and a new greeting are valid in every state (RFC 5321 4.1.4).
    private static readonly string[] Anywhere = ["RSET", "NOOP", "QUIT", "VRFY", "HELP", "HELO", "EHLO"];

    private static readonly Dictionary<SmtpSessionState, HashSet<string>> Verbs = new()
    {
        [SmtpSessionState.Connected] = [.. Anywhere],
        [SmtpSessionState.Greeted] = [.. Anywhere, "MAIL", "STARTTLS"],
        [SmtpSessionState.MailGiven] = [.. Anywhere, "RCPT"],
        [SmtpSessionState.RecipientGiven] = [.. Anywhere, "RCPT", "DATA", "BDAT"],
        [SmtpSessionState.ReceivingChunks] = [.. Anywhere, "BDAT"],
    };

    private static readonly Dictionary<SmtpEvent, Func<SmtpSessionState, SmtpSessionState>> Transitions = new()
    {
        [SmtpEvent.None] = state => state,
        [SmtpEvent.Greeted] = _ => SmtpSessionState.Greeted,
        [SmtpEvent.MailAccepted] = _ => SmtpSessionState.MailGiven,
        [SmtpEvent.RecipientAccepted] = _ => SmtpSessionState.RecipientGiven,
        [SmtpEvent.ChunkAccepted] = _ => SmtpSessionState.ReceivingChunks,
        [SmtpEvent.TransactionEnded] = _ => SmtpSessionState.Greeted,
        [SmtpEvent.TransactionReset] = state =>
            state == SmtpSessionState.Connected ? SmtpSessionState.Connected : SmtpSessionState.Greeted,
        [SmtpEvent.TlsStarted] = _ => SmtpSessionState.Connected,
    };

    /// <summary>Null when <paramref name="verb"/> may run now; otherwise the reply that refuses it.</summary>
    public static SmtpReply? Check(string verb, SmtpSessionState state, int rejectedRecipients)
    {
        if (Verbs[state].Contains(verb))
        {
            return null;
        }

        if (state == SmtpSessionState.Connected)
        {
            return SmtpReply.NeedHelo;
        }

        return verb switch
        {
            "MAIL" => SmtpReply.NestedMail,
            "RCPT" when state == SmtpSessionState.Greeted => SmtpReply.NeedMail,
            "DATA" or "BDAT" when state == SmtpSessionState.MailGiven =>
                rejectedRecipients > 0 ? NoValidRecipients : SmtpReply.NeedRecipient,
            "DATA" or "BDAT" when state == SmtpSessionState.Greeted => SmtpReply.NeedMail,
            _ => SmtpReply.BadSequence,
        };
    }

    /// <summary>The state after a command in <paramref name="state"/> had <paramref name="outcome"/>.</summary>
    public static SmtpSessionState Next(SmtpSessionState state, SmtpEvent outcome) => Transitions[outcome](state);
}
