namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>VRFY: 252, as a gateway cannot and should not confirm mailboxes (RFC 5321 3.5.3).</summary>
public sealed class VrfyCommand : SmtpCommand<NoArgument>
{
    public override string Verb => "VRFY";

    // The address itself is never looked at: nothing is confirmed or denied.
    protected override SmtpRequest<NoArgument> Parse(string argument, SmtpSession session) =>
        argument.Trim().Length > 0 ? SmtpRequest<NoArgument>.Valid(NoArgument.Instance) : SmtpReply.SyntaxError("VRFY <address>");

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, NoArgument request,
        CancellationToken cancellationToken) => Task.FromResult<SmtpOutcome>(SmtpReply.CannotVerify);
}
