using MailKit.Net.Smtp;

namespace MailGateway.Gateway.Recipients;

/// <summary>MailKit's client with the one conversation a callout needs: MAIL FROM:&lt;&gt;, RCPT TO, RSET, and no DATA.</summary>
public sealed class CalloutSmtpClient : SmtpClient
{
    /// <summary>
    /// The next hop's reply to RCPT TO for <paramref name="address"/>; when it refused MAIL FROM:&lt;&gt; itself,
    /// that reply with <c>RecipientAsked</c> false (a refusal that says nothing about the recipient).
    /// </summary>
    public async Task<(bool RecipientAsked, SmtpResponse Reply)> ProbeAsync(string address, CancellationToken cancellationToken)
    {
        // The null sender: a callout must never make the next hop send mail anywhere (RFC 5321 4.5.5).
        var mail = await SendCommandAsync("MAIL FROM:<>", cancellationToken);
        if ((int)mail.StatusCode is < 200 or >= 300)
        {
            return (false, mail);
        }

        var rcpt = await SendCommandAsync($"RCPT TO:<{address}>", cancellationToken);
        await SendCommandAsync("RSET", cancellationToken);
        return (true, rcpt);
    }
}
