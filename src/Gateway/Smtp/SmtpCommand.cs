namespace MailGateway.Gateway.Smtp;

/// <summary>
/// The shape of every command: the state table is asked first, then the argument is parsed into a typed request
/// (<typeparamref name="TRequest"/>), and only a valid request in a valid state reaches
/// <see cref="ExecuteAsync(SmtpSession, TRequest, CancellationToken)"/>.
/// </summary>
public abstract class SmtpCommand<TRequest> : ISmtpCommand
    where TRequest : class
{
    public abstract string Verb { get; }

    public async Task<SmtpOutcome> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        var refusal = SmtpStateTable.Check(Verb, session.State, session.Transaction?.RejectedRecipients ?? 0);
        if (refusal is not null)
        {
            return await RefuseAsync(session, argument, refusal, cancellationToken);
        }

        var parsed = Parse(argument, session);
        return parsed.Request is { } request
            ? await ExecuteAsync(session, request, cancellationToken)
            : SmtpOutcome.Only(parsed.Error!);
    }

    /// <summary>The argument as a request, or the reply that refuses its syntax.</summary>
    protected abstract SmtpRequest<TRequest> Parse(string argument, SmtpSession session);

    protected abstract Task<SmtpOutcome> ExecuteAsync(SmtpSession session, TRequest request,
        CancellationToken cancellationToken);

    /// <summary>
    /// Refuses a command the state table does not allow now. A command that carries data of its own (BDAT) reads
    /// and drops it here, so the session stays in step with the client.
    /// </summary>
    protected virtual Task<SmtpOutcome> RefuseAsync(SmtpSession session, string argument, SmtpReply refusal,
        CancellationToken cancellationToken) => Task.FromResult(SmtpOutcome.Only(refusal));
}
