using MailGateway.Gateway.Smtp.Requests;

namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>EHLO: greets, ends any transaction and lists the extensions.</summary>
public sealed class EhloCommand : SmtpCommand<HelloRequest>
{
    public override string Verb => "EHLO";

    protected override SmtpRequest<HelloRequest> Parse(string argument, SmtpSession session) =>
        HelloRequest.Parse(argument, Verb);

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, HelloRequest request,
        CancellationToken cancellationToken)
    {
        var extensions = new List<string>
        {
            "PIPELINING",
            $"SIZE {session.Options.MaxMessageBytes}",
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
        };
        if (session.Services.Certificate is not null && !session.Connection.IsTls)
        {
            extensions.Add("STARTTLS");
        }

        var reply = SmtpReply.Ehlo(session.Services.HostName, request.Name, extensions);
        return Task.FromResult(SmtpOutcome.Greeting(reply, request.Name, extended: true));
    }
}
