using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Delivery;

/// <summary>The headers the gateway adds on top of what it stores: verdict, SCL, trace and, for the archive, the envelope.</summary>
public static class GatewayHeaders
{
    public const string Scl = "X-MailGateway-SCL";
    public const string SpamFlag = "X-Spam-Flag";
    public const string Trace = "X-MailGateway-Trace";
    public const string EnvelopeFrom = "X-MailGateway-Envelope-From";
    public const string EnvelopeTo = "X-MailGateway-Envelope-To";

    /// <summary>
    /// Authentication-Results (one field for SPF, DKIM, ARC and DMARC, named for <paramref name="hostName"/>), filter
    /// headers, then SCL, spam flag and trace (and the envelope when archiving).
    /// </summary>
    public static List<string> For(MessageContext context, Envelope envelope, bool spam, bool withEnvelope, string hostName)
    {
        var headers = new List<string>();
        if (!context.Authentication.IsEmpty)
        {
            headers.Add($"{AuthenticationResults.HeaderName}: {context.Authentication.Format(hostName)}");
        }

        headers.AddRange(context.AddedHeaders);
        if (context.Scl is { } scl)
        {
            headers.Add($"{Scl}: {scl}");
        }

        headers.Add($"{SpamFlag}: {(spam ? "YES" : "NO")}");
        var trace = string.Join(' ', context.Trace.Select(t => t.ToString()).Concat(context.Notes.Select(n => $"note={n.Replace(' ', '_')}")));
        headers.Add($"{Trace}: {(trace.Length == 0 ? "none" : trace)}");
        if (withEnvelope)
        {
            headers.Add($"{EnvelopeFrom}: <{envelope.FromAddress}>");
            headers.Add($"{EnvelopeTo}: {string.Join(", ", envelope.Recipients.Select(r => $"<{r.Address}>"))}");
        }

        return headers;
    }
}
