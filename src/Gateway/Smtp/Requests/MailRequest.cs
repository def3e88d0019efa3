using System.Globalization;
using MailGateway.Gateway.Messages;

namespace MailGateway.Gateway.Smtp.Requests;

/// <summary>MAIL FROM:&lt;path&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8].</summary>
public sealed record MailRequest(MailPath? From, long? Size, MailBody Body, bool SmtpUtf8)
{
    /// <param name="extended">True after EHLO: only then are parameters allowed.</param>
    public static SmtpRequest<MailRequest> Parse(string argument, bool extended)
    {
        if (!MailParameters.TrySplit(argument, "FROM", out var path, out var parameters, out var error))
        {
            return SmtpReply.SyntaxError(error);
        }

        long? size = null;
        var utf8 = false;
        var body = MailBody.SevenBit;
        foreach (var (key, value) in parameters)
        {
            if (!extended)
            {
                return SmtpReply.UnsupportedParameter(key);
            }

            switch (key.ToUpperInvariant())
            {
                case "SIZE":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        return SmtpReply.SyntaxError("SIZE=<number>");
                    }

                    size = n;
                    break;
                case "BODY":
                    switch (value?.ToUpperInvariant())
                    {
                        case "7BIT":
                            body = MailBody.SevenBit;
                            break;
                        case "8BITMIME":
                            body = MailBody.EightBitMime;
                            break;
                        default:
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

        MailPath? from = null;
        if (path.Length > 0)
        {
            from = MailPath.TryParse(path, "", allowBarePostmaster: false, out var why);
            if (from is null)
            {
                return SmtpReply.BadSenderAddress(why);
            }
        }

        return SmtpRequest<MailRequest>.Valid(new MailRequest(from, size, body, utf8));
    }
}
