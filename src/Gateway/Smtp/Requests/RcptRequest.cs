using MailGateway.Gateway.Messages;

namespace MailGateway.Gateway.Smtp.Requests;

/// <summary>RCPT TO:&lt;path&gt; (no parameters are supported).</summary>
public sealed record RcptRequest(MailPath Recipient)
{
    /// <param name="postmasterDomain">The domain a bare &lt;Postmaster&gt; belongs to (RFC 5321 4.5.1).</param>
    public static SmtpRequest<RcptRequest> Parse(string argument, string postmasterDomain)
    {
        if (!MailParameters.TrySplit(argument, "TO", out var path, out var parameters, out var error))
        {
            return SmtpReply.SyntaxError(error);
        }

        if (parameters.Count > 0)
        {
            return SmtpReply.UnsupportedParameter(parameters.Keys.First());
        }

        var recipient = MailPath.TryParse(path, postmasterDomain, allowBarePostmaster: true, out var why);
        return recipient is null
            ? SmtpReply.BadRecipientAddress(why)
            : SmtpRequest<RcptRequest>.Valid(new RcptRequest(recipient));
    }
}
