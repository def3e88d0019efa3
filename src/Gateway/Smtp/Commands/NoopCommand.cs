namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>NOOP: does nothing (an argument is allowed and ignored, RFC 5321 4.1.1.9).</summary>
public sealed class NoopCommand : SmtpCommand<NoArgument>
{
    public override string Verb => "NOOP";

    protected override SmtpRequest<NoArgument> Parse(string argument, SmtpSession session) =>
        SmtpRequest<NoArgument>.Valid(NoArgument.Instance);

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, NoArgument request,
        CancellationToken cancellationToken) => Task.FromResult<SmtpOutcome>(SmtpReply.NoopOk);
}
