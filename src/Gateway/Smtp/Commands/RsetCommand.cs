namespace MailGateway.Gateway.Smtp.Commands;

/// <summary>RSET: abandons the transaction (and any BDAT chunks received for it).</summary>
public sealed class RsetCommand : SmtpCommand<NoArgument>
{
    public override string Verb => "RSET";

    protected override SmtpRequest<NoArgument> Parse(string argument, SmtpSession session) =>
        NoArgument.Require(argument, Verb);

    protected override Task<SmtpOutcome> ExecuteAsync(SmtpSession session, NoArgument request,
        CancellationToken cancellationToken) =>
        Task.FromResult(new SmtpOutcome(SmtpReply.ResetOk, SmtpEvent.TransactionReset));
}
