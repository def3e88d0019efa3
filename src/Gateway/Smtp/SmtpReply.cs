using System.Text;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (absent only on the greeting, 354 and the
/// EHLO lines, which RFC 2034 leaves without one) and text. Every reply the gateway sends is a named member here.
/// </summary>
public sealed record SmtpReply(int Code, string? Enhanced, IReadOnlyList<string> Lines)
{
    public SmtpReply(int code, string? enhanced, string text)
        : this(code, enhanced, new[] { text })
    {
    }

    public bool IsPositive => Code is >= 200 and < 400;

    /// <summary>Set on a reply after which the session cannot go on (the client is out of step with it).</summary>
    public bool CloseAfter { get; init; }

    /// <summary>True when this reply ends the session (the connection is closed after sending it).</summary>
    public bool ClosesSession => Code is 221 or 421 || CloseAfter;

    public static SmtpReply Greeting(string host) => new(220, null, $"{host} ESMTP MailGateway");

    public static SmtpReply Ehlo(string host, string clientHelo, IEnumerable<string> extensions) =>
        new(250, null, new[] { $"{host} greets {clientHelo}" }.Concat(extensions).ToArray());

    public static SmtpReply Helo(string host) => new(250, "2.0.0", host);

    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender ok");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient ok");
    public static readonly SmtpReply ResetOk = new(250, "2.0.0", "Reset state");
    public static readonly SmtpReply NoopOk = new(250, "2.0.0", "Ok");
    public static readonly SmtpReply Bye = new(221, "2.0.0", "Bye");
    public static readonly SmtpReply StartData = new(354, null, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply CannotVerify =
        new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");

    public static readonly SmtpReply Help = new(214, "2.0.0", new[]
    {
        "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS",
        "See RFC 5321",
    });

    public static SmtpReply ChunkReceived(long size) => new(250, "2.0.0", $"{size} octets received");

    public static SmtpReply Queued(string id) => new(250, "2.0.0", $"Ok: queued as {id}");

    // 4xx: try again later.
    public static readonly SmtpReply ServiceUnavailableShuttingDown =
        new(421, "4.3.2", "Service shutting down, closing transmission channel");
    public static readonly SmtpReply TooManyConnections = new(421, "4.7.0", "Too many connections, try again later");
    public static readonly SmtpReply TooManyConnectionsFromYou =
        new(421, "4.7.0", "Too many connections from your address, try again later");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply CommandTimeout = new(421, "4.4.2", "Timeout exceeded, closing connection");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");
    public static readonly SmtpReply InsufficientStorage = new(452, "4.3.1", "Insufficient system storage");
    public static readonly SmtpReply LocalError =
        new(451, "4.3.0", "Requested action aborted: local error in processing");
    public static readonly SmtpReply TlsNotAvailable = new(454, "4.7.0", "TLS not available due to temporary reason");

    // 5xx: permanent.
    public static readonly SmtpReply UnknownCommand = new(500, "5.5.2", "Error: command not recognized");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Error: line too long");
    public static readonly SmtpReply InvalidUtf8 = new(500, "5.5.2", "Error: command is not valid UTF-8");
    public static readonly SmtpReply LocalPartTooLong =
        new(553, "5.1.3", "Bad recipient address syntax: local part longer than 64 octets");
    public static readonly SmtpReply MailboxNameTooLong =
        new(553, "5.1.3", "Bad recipient address syntax: address too long to store");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Error: bad sequence of commands");
    public static readonly SmtpReply NeedRecipient = new(503, "5.5.1", "Error: need RCPT command");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "Error: need MAIL command");
    public static readonly SmtpReply NeedHelo = new(503, "5.5.1", "Error: send HELO/EHLO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Error: nested MAIL command");
    public static readonly SmtpReply AlreadyTls = new(503, "5.5.1", "Error: TLS already active");
    public static readonly SmtpReply CommandNotImplemented = new(502, "5.5.1", "Error: command not implemented");
    public static readonly SmtpReply RelayDenied = new(550, "5.7.1", "Relay access denied");
    public static readonly SmtpReply UnknownRecipient =
        new(550, "5.1.1", "Recipient address rejected: User unknown");
    public static readonly SmtpReply RecipientUnverifiable =
        new(450, "4.1.1", "Recipient address rejected: unverified address, try again later");
    public static readonly SmtpReply RoutingDenied =
        new(550, "5.7.1", "Relay access denied: source routes, % and ! in local parts are not accepted");
    public static readonly SmtpReply BlockedByPolicy = new(550, "5.7.1", "Sender refused by the block-list policy");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static readonly SmtpReply BareLineFeed = new(550, "5.5.2", "bare <LF> received");
    public static readonly SmtpReply BareCarriageReturn = new(550, "5.5.2", "bare <CR> received");
    public static readonly SmtpReply NeedsSmtpUtf8 = new(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
    public static readonly SmtpReply MustIssueStartTls = new(530, "5.7.0", "Must issue a STARTTLS command first");
    public static readonly SmtpReply TlsNotOffered = new(502, "5.5.1", "Error: STARTTLS not offered");

    public static SmtpReply BlockedByDnsList(System.Net.IPAddress client, string zone) =>
        new(554, "5.7.1", $"Service unavailable; client [{(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client)}] blocked using {zone}");

    public static SmtpReply SyntaxError(string what) => new(501, "5.5.4", $"Syntax error: {what}");

    public static SmtpReply BadSenderAddress(string why) => new(553, "5.1.7", $"Bad sender address syntax: {why}");

    public static SmtpReply BadRecipientAddress(string why) =>
        new(553, "5.1.3", $"Bad recipient address syntax: {why}");

    public static SmtpReply UnsupportedParameter(string name) =>
        new(555, "5.5.4", $"Unsupported parameter: {name}");

    /// <summary>The wire form: every line CRLF-terminated, continuation lines with a hyphen.</summary>
    public void AppendTo(StringBuilder builder)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            builder.Append(Code).Append(i == Lines.Count - 1 ? ' ' : '-');
            if (Enhanced is not null)
            {
                builder.Append(Enhanced).Append(' ');
            }

            builder.Append(Lines[i]).Append("\r\n");
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendTo(sb);
        return sb.ToString().TrimEnd();
    }
}
