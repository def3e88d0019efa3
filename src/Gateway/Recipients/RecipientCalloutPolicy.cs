using System.Collections.Concurrent;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery.Relay;
using MailGateway.Gateway.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Recipients;

/// <summary>
/// <c>Recipients:Verify=Callout</c> (Postfix's reject_unverified_recipient): a recipient of an accepted domain is
/// asked of the next hop that would get the message, with MAIL FROM:&lt;&gt; and RCPT TO through MailKit. A 2xx
/// accepts it, a 5xx gives 550 5.1.1 now (so relay mode never accepts what it would have to bounce), and a next hop
/// that is down, slow or answers 4xx gives 450 4.1.1: the client tries again, nothing is lost. Verdicts are cached,
/// valid ones for <c>CalloutPositiveSeconds</c>, unknown ones for <c>CalloutNegativeSeconds</c>; a temporary failure
/// is not cached.
/// </summary>
public sealed class RecipientCalloutPolicy(
    RelayPolicy relay,
    RelayRoutes routes,
    IOptions<RecipientOptions> options,
    IOptions<RelayOptions> relayOptions,
    IOptions<SmtpOptions> smtpOptions,
    RecipientMetrics metrics,
    TimeProvider time,
    ILogger<RecipientCalloutPolicy> logger) : IRecipientPolicy
{
    private readonly ConcurrentDictionary<string, (bool Valid, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<SmtpReply?> CheckAsync(RecipientCheck check, CancellationToken cancellationToken)
    {
        if (!relay.IsAcceptedDomain(check.Recipient))
        {
            return null;
        }

        var key = check.Recipient.MailboxKey;
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            metrics.Callout(cached.Valid ? "valid" : "unknown", cached: true);
            return cached.Valid ? null : Unknown(check, "cached");
        }

        var verdict = await AskAsync(check.Recipient.Address, cancellationToken);
        metrics.Callout(verdict.Result, cached: false);
        switch (verdict.Result)
        {
            case "valid":
                _cache[key] = (true, now.AddSeconds(options.Value.CalloutPositiveSeconds));
                return null;
            case "unknown":
                _cache[key] = (false, now.AddSeconds(options.Value.CalloutNegativeSeconds));
                return Unknown(check, verdict.Reply);
            default:
                logger.LogWarning("Session {SessionId}: recipient {Recipient} not verified ({CalloutReply}); replying 450",
                    check.SessionId, check.Recipient.Address, verdict.Reply);
                return SmtpReply.RecipientUnverifiable;
        }
    }

    private SmtpReply Unknown(RecipientCheck check, string why)
    {
        metrics.Unknown("callout");
        logger.LogInformation("Session {SessionId}: recipient {Recipient} unknown to the next hop ({CalloutReply})",
            check.SessionId, check.Recipient.Address, why);
        return SmtpReply.UnknownRecipient;
    }

    private async Task<(string Result, string Reply)> AskAsync(string address, CancellationToken cancellationToken)
    {
        var hop = routes.For(address);
        if (hop is null)
        {
            return ("unavailable", "no next hop for the domain");
        }

        var timeout = TimeSpan.FromSeconds(options.Value.CalloutTimeoutSeconds);
        using var client = new CalloutSmtpClient
        {
            LocalDomain = smtpOptions.Value.EffectiveHostName,
            Timeout = (int)timeout.TotalMilliseconds,
            // Only an address goes over this connection: opportunistic TLS without a certificate check is enough.
            ServerCertificateValidationCallback = (_, _, _, _) => true,
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout * 2);
        try
        {
            var secure = relayOptions.Value.Tls == RelayTlsMode.None
                ? SecureSocketOptions.None
                : SecureSocketOptions.StartTlsWhenAvailable;
            await client.ConnectAsync(hop.Host, hop.Port, secure, deadline.Token);
            var (asked, reply) = await client.ProbeAsync(address, deadline.Token);
            await client.DisconnectAsync(true, CancellationToken.None);
            var code = (int)reply.StatusCode;
            var text = $"{code} {reply.Response}";
            return code switch
            {
                _ when !asked => ("unavailable", "MAIL FROM:<> refused: " + text),
                >= 200 and < 300 => ("valid", text),
                >= 500 => ("unknown", text),
                _ => ("unavailable", text),
            };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ("unavailable", $"{hop}: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
