namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>HELP: lists the commands (an argument is ignored).</summary>
public sealed class HelpCommand : SmtpCommand<NoArgument>
{
    public override string Verb => "HELP";

    protected override SmtpRequest<NoArgument> Parse(string argument, SmtpSession session) =>
        SmtpRequest<NoArgument>.Valid(NoArgument.Instance);

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, NoArgument request,
        CancellationToken cancellationToken) => Task.FromResult<SmtpOutcome>(SmtpReply.Help);
}
