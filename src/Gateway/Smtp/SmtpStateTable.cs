namespace MailGateway.Gateway.Smtp;

/// <summary>
/// Which commands are valid in which session state, and the 503 each out-of-sequence command gets. Commands that
/// are valid everywhere (RSET, NOOP, QUIT, VRFY, HELP, HELO/EHLO) are not listed.
/// </summary>
public static class SmtpStateTable
{
    private static readonly Dictionary<string, Func<SmtpSessionState, int, SmtpReply?>> Rules =
        new(StringComparer.Ordinal)
        {
            ["MAIL"] = (state, _) => state switch
            {
                SmtpSessionState.Greeted => null,
                SmtpSessionState.Connected => SmtpReply.NeedHelo,
                _ => SmtpReply.NestedMail,
            },
            ["RCPT"] = (state, _) => state switch
            {
                SmtpSessionState.MailGiven or SmtpSessionState.RecipientGiven => null,
                SmtpSessionState.Connected => SmtpReply.NeedHelo,
                _ => SmtpReply.NeedMail,
            },
            ["DATA"] = (state, rejectedRecipients) => state switch
            {
                SmtpSessionState.RecipientGiven => null,
                SmtpSessionState.MailGiven when rejectedRecipients > 0 => NoValidRecipients,
                SmtpSessionState.MailGiven => SmtpReply.NeedRecipient,
                SmtpSessionState.Connected => SmtpReply.NeedHelo,
                _ => SmtpReply.NeedMail,
            },
            ["STARTTLS"] = (state, _) => state switch
            {
                SmtpSessionState.Greeted => null,
                SmtpSessionState.Connected => SmtpReply.NeedHelo,
                _ => SmtpReply.BadSequence,
            },
        };

    /// <summary>Pipelined DATA after every RCPT failed (RFC 2920 3.1).</summary>
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "Error: no valid recipients");

    /// <summary>Null when <paramref name="verb"/> may run now; otherwise the reply that refuses it.</summary>
    public static SmtpReply? Check(string verb, SmtpSessionState state, int rejectedRecipients) =>
        Rules.TryGetValue(verb, out var rule) ? rule(state, rejectedRecipients) : null;
}
