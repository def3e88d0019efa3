namespace MailGateway.Gateway.Smtp;

/// <summary>
/// What a command returns: the reply to queue (null when it sent its replies itself, as STARTTLS does), what it did
/// (the state table turns that into the next state), and what the session keeps from it.
/// </summary>
public readonly record struct SmtpOutcome(SmtpReply? Reply, SmtpEvent Event)
{
    /// <summary>The new transaction, for <see cref="SmtpEvent.MailAccepted"/>.</summary>
    public SmtpTransaction? Transaction { get; init; }

    /// <summary>The client's name, for <see cref="SmtpEvent.Greeted"/>.</summary>
    public string? HeloName { get; init; }

    /// <summary>EHLO rather than HELO, for <see cref="SmtpEvent.Greeted"/>.</summary>
    public bool Extended { get; init; }

    public static SmtpOutcome Only(SmtpReply reply) => new(reply, SmtpEvent.None);

    public static SmtpOutcome Greeting(SmtpReply reply, string name, bool extended) =>
        new(reply, SmtpEvent.Greeted) { HeloName = name, Extended = extended };

    public static SmtpOutcome Mail(SmtpReply reply, SmtpTransaction transaction) =>
        new(reply, SmtpEvent.MailAccepted) { Transaction = transaction };

    public static SmtpOutcome Ended(SmtpReply reply) => new(reply, SmtpEvent.TransactionEnded);

    public static implicit operator SmtpOutcome(SmtpReply reply) => Only(reply);
}
