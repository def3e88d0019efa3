using MailGateway.Gateway.Smtp.Requests;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>HELO: the RFC 821 greeting; no extensions in this session.</summary>
public sealed class HeloCommand : SmtpCommand<HelloRequest>
{
    public override string Verb => "HELO";

    protected override SmtpRequest<HelloRequest> Parse(string argument, SmtpSession session) =>
        HelloRequest.Parse(argument, Verb);

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, HelloRequest request,
        CancellationToken cancellationToken) =>
        Task.FromResult(SmtpOutcome.Greeting(SmtpReply.Helo(session.Services.HostName), request.Name, extended: false));
}
