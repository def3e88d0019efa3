using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>
/// STARTTLS (RFC 3207): 220, the TLS handshake, then a fresh session: the client must EHLO again, and anything it
/// pipelined behind STARTTLS in plaintext has been thrown away.
/// </summary>
public sealed class StartTlsCommand : SmtpCommand<NoArgument>
{
    public override string Verb => "STARTTLS";

    protected override SmtpRequest<NoArgument> Parse(string argument, SmtpSession session)
    {
        if (session.Services.Certificate is null)
        {
            return SmtpReply.TlsNotOffered;
        }

        if (session.Connection.IsTls)
        {
            return SmtpReply.AlreadyTls;
        }

        return NoArgument.Require(argument, Verb);
    }

    protected override async Task<SmtpOutcome> ExecuteAsync(SmtpSession session, NoArgument request,
        CancellationToken cancellationToken)
    {
        var certificate = session.Services.Certificate!;

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

        session.Logger.LogInformation("Session {SessionId}: TLS established ({TlsProtocol})", session.Id,
            session.Connection.TlsProtocol);
        return new SmtpOutcome(null, SmtpEvent.TlsStarted);
    }
}
