namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>MAIL FROM:&lt;path&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]: starts a transaction.</summary>
public sealed class MailCommand : ISmtpCommand
{
    public string Verb => "MAIL";

    public Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken) =>
        Task.FromResult<SmtpReply?>(Execute(session, argument));

    private static SmtpReply Execute(SmtpSession session, string argument)
    {
        if (session.Options.Tls.Required && !session.Connection.IsTls)
        {
            return SmtpReply.MustIssueStartTls;
        }

        if (!MailParameters.TrySplit(argument, "FROM", out var path, out var parameters, out var error))
        {
            return SmtpReply.SyntaxError(error);
        }

        long? size = null;
        var utf8 = false;
        var eightBit = false;
        foreach (var (key, value) in parameters)
        {
            if (!session.Extended)
            {
                return SmtpReply.UnsupportedParameter(key);
            }

            switch (key.ToUpperInvariant())
            {
                case "SIZE":
                    if (!long.TryParse(value, System.Globalization.NumberStyles.None, null, out var n))
                    {
                        return SmtpReply.SyntaxError("SIZE=<number>");
                    }

                    size = n;
                    break;
                case "BODY":
                    if (string.Equals(value, "8BITMIME", StringComparison.OrdinalIgnoreCase))
                    {
                        eightBit = true;
                    }
                    else if (!string.Equals(value, "7BIT", StringComparison.OrdinalIgnoreCase))
                    {
                        return SmtpReply.SyntaxError("BODY=7BIT or BODY=8BITMIME");
                    }

                    break;
                case "SMTPUTF8" when value is null:
                    utf8 = true;
                    break;
                default:
                    return SmtpReply.UnsupportedParameter(key);
            }
        }

        if (size > session.Options.MaxMessageBytes)
        {
            return SmtpReply.MessageTooBig;
        }

        MailPath? from = null;
        if (path.Length > 0)
        {
            from = MailPath.TryParse(path, "", allowBarePostmaster: false, out var why);
            if (from is null)
            {
                return SmtpReply.BadSenderAddress(why);
            }

            if (!from.IsAscii && !utf8)
            {
                return SmtpReply.NeedsSmtpUtf8;
            }
        }

        session.Transaction = new SmtpTransaction(from, utf8, eightBit, size);
        session.State = SmtpSessionState.MailGiven;
        return SmtpReply.SenderOk;
    }
}
