using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>
/// STARTTLS (RFC 3207): 220, the TLS handshake, then a fresh session: the client must EHLO again, and anything it
/// pipelined behind STARTTLS in plaintext has been thrown away.
/// </summary>
public sealed class StartTlsCommand : ISmtpCommand
{
    public string Verb => "STARTTLS";

    public async Task<SmtpReply?> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        var certificate = session.Services.Certificate;
        if (certificate is null)
        {
            return SmtpReply.TlsNotOffered;
        }

        if (session.Connection.IsTls)
        {
            return SmtpReply.AlreadyTls;
        }

        if (argument.Trim().Length > 0)
        {
            return SmtpReply.SyntaxError("STARTTLS takes no argument");
        }

        using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshakeTimeout.CancelAfter(TimeSpan.FromSeconds(Math.Min(60, session.Options.CommandTimeoutSeconds)));
        try
        {
            await session.Connection.UpgradeToTlsAsync(SmtpReply.ReadyToStartTls, certificate, handshakeTimeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException("TLS handshake timed out");
        }

        session.State = SmtpSessionState.Connected;
        session.HeloName = null;
        session.Extended = false;
        session.Transaction = null;
        session.Logger.LogInformation("Session {SessionId}: TLS established ({TlsProtocol})", session.Id,
            session.Connection.TlsProtocol);
        return null;
    }
}
