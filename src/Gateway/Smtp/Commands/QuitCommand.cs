namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>QUIT: 221 and close (an argument is ignored).</summary>
public sealed class QuitCommand : SmtpCommand<NoArgument>
{
    public override string Verb => "QUIT";

    protected override SmtpRequest<NoArgument> Parse(string argument, SmtpSession session) =>
        SmtpRequest<NoArgument>.Valid(NoArgument.Instance);

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, NoArgument request,
        CancellationToken cancellationToken) => Task.FromResult<SmtpOutcome>(SmtpReply.Bye);
}
