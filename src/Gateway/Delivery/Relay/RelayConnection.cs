using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MailGateway.Gateway.Configuration;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// One delivery worker's SMTP connection, kept open between messages to the same next hop. Turns every way an
/// attempt can end into a result per recipient.
/// </summary>
public sealed partial class RelayConnection(RelayOptions options, string localDomain, ILogger logger) : IAsyncDisposable
{
    private static readonly FormatOptions Format = CreateFormat();
    private RelaySmtpClient? _client;
    private NextHop? _hop;

    public bool IsConnected => _client?.IsConnected == true;

    /// <summary>
    /// Sends the queued <paramref name="message"/> (seekable, position 0 being its first byte) to
    /// <paramref name="recipients"/>.
    /// </summary>
    public async Task<IReadOnlyList<RecipientOutcome>> SendAsync(NextHop hop, string from,
        IReadOnlyList<string> recipients, Stream message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reused = IsConnected && hop == _hop;
            try
            {
                var client = await ConnectAsync(hop, cancellationToken);
                return await SendOnceAsync(client, from, recipients, message, cancellationToken);
            }
            catch (SmtpCommandException ex)
            {
                var refused = _client?.Refused.ToList() ?? [];
                await CloseAsync();
                // 421 on a reused connection: the server timed the idle session out; a fresh one is not a retry.
                if (reused && attempt == 0 && ex.StatusCode == SmtpStatusCode.ServiceNotAvailable && refused.Count == 0)
                {
                    continue;
                }

                var result = (int)ex.StatusCode >= 500 ? RecipientResult.Permanent : RecipientResult.Transient;
                return recipients.Select(r => Refusal(refused, r) ?? new RecipientOutcome(r, result,
                    StatusOf(ex.Message, (int)ex.StatusCode), $"{(int)ex.StatusCode} {ex.Message}")).ToList();
            }
            catch (RelaySmtpClient.NoRecipientsAcceptedException)
            {
                var refused = _client!.Refused.ToList();
                await CloseAsync();
                return recipients.Select(r => Refusal(refused, r)
                    ?? new RecipientOutcome(r, RecipientResult.Transient, "4.0.0", "no reply for this recipient")).ToList();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await CloseAsync();
                // A connection the server closed while it was idle: try once more on a fresh one.
                if (reused && attempt == 0)
                {
                    logger.LogDebug(ex, "Reused connection to {NextHop} failed; reconnecting", hop);
                    continue;
                }

                return recipients.Select(r => new RecipientOutcome(r, RecipientResult.Transient, "4.4.1",
                    $"{hop}: {ex.GetType().Name}: {ex.Message}")).ToList();
            }
        }
    }

    /// <summary>Ends the session politely (QUIT) if one is open.</summary>
    public async Task CloseAsync()
    {
        var client = _client;
        _client = null;
        _hop = null;
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, cts.Token);
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "QUIT failed");
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task<RelaySmtpClient> ConnectAsync(NextHop hop, CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } && hop == _hop)
        {
            return _client;
        }

        await CloseAsync();
        var client = new RelaySmtpClient
        {
            LocalDomain = localDomain,
            Timeout = options.TimeoutSeconds * 1000,
        };
        if (options.Tls == RelayTlsMode.StartTlsWhenAvailable)
        {
            // Opportunistic TLS protects against passive listening only; refusing a self-signed internal server
            // would turn encryption into an outage. StartTlsRequired checks the certificate.
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (options.Tls == RelayTlsMode.StartTlsRequired)
        {
            client.ServerCertificateValidationCallback = IsTrustedIgnoringUnknownRevocation;
        }

        var secure = options.Tls switch
        {
            RelayTlsMode.None => SecureSocketOptions.None,
            RelayTlsMode.StartTlsRequired => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        Socket? socket = null;
        try
        {
            // Our own socket for Nagle's algorithm off, which MailKit's host-name connect leaves on: the end of the
            // message (".\r\n") goes out as a small write after the body, Nagle holds it until the body's ACK, and the
            // next hop delays that ACK by up to 40 ms: measured, each connection delivered about 21 messages a second.
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
                try
                {
                    await socket.ConnectAsync(hop.Host, hop.Port, connectTimeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no connection within {options.TimeoutSeconds} s");
                }
            }

            await client.ConnectAsync(socket, hop.Host, hop.Port, secure, cancellationToken);
        }
        catch
        {
            client.Dispose();
            socket?.Dispose();
            throw;
        }

        _client = client;
        _hop = hop;
        return client;
    }

    /// <summary>
    /// StartTlsRequired: the chain must end at a root the system trusts and the name must match the next hop. A
    /// revocation status that cannot be found out does not fail it: internal CAs often publish no CRL or OCSP address,
    /// or one the DMZ cannot reach, and failing on that would defer every message until it bounces. A certificate
    /// known to be revoked still fails.
    /// </summary>
    private static bool IsTrustedIgnoringUnknownRevocation(object sender, X509Certificate? certificate, X509Chain? chain,
        SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || chain is null)
        {
            return false;
        }

        const X509ChainStatusFlags unknownRevocation =
            X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;
        return chain.ChainStatus.All(s => (s.Status & ~unknownRevocation) == X509ChainStatusFlags.NoError);
    }

    private static async Task<IReadOnlyList<RecipientOutcome>> SendOnceAsync(RelaySmtpClient client, string from,
        IReadOnlyList<string> recipients, Stream queued, CancellationToken cancellationToken)
    {
        queued.Position = 0;
        // persistent: parts stay on the file instead of being copied into memory.
        using var message = await MimeMessage.LoadAsync(queued, persistent: true, cancellationToken);
        var mailboxes = recipients.Select(r => new MailboxAddress("", r)).ToList();
        client.ResetRefused();
        var reply = await client.SendAsync(Format, message, new MailboxAddress("", from), mailboxes, cancellationToken);
        var refused = client.Refused;
        return recipients.Select(r => Refusal(refused, r)
            ?? new RecipientOutcome(r, RecipientResult.Delivered, "2.0.0", $"250 {reply}")).ToList();
    }

    private static RecipientOutcome? Refusal(IReadOnlyList<(MailboxAddress Mailbox, SmtpResponse Response)> refused,
        string address)
    {
        foreach (var (mailbox, response) in refused)
        {
            if (string.Equals(mailbox.Address, address, StringComparison.OrdinalIgnoreCase))
            {
                var code = (int)response.StatusCode;
                return new RecipientOutcome(address, code >= 500 ? RecipientResult.Permanent : RecipientResult.Transient,
                    StatusOf(response.Response, code), $"{code} {response.Response}");
            }
        }

        return null;
    }

    /// <summary>The enhanced status code the server gave (RFC 3463), else one derived from the reply code.</summary>
    private static string StatusOf(string text, int code)
    {
        var m = EnhancedCode().Match(text);
        return m.Success ? m.Value : code >= 500 ? "5.0.0" : "4.0.0";
    }

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}")]
    private static partial Regex EnhancedCode();

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
