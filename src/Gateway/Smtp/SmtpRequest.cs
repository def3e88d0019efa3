namespace MailGateway.Gateway.Smtp;

/// <summary>A parsed command argument: the typed request, or the reply that refuses its syntax.</summary>
public readonly record struct SmtpRequest<T>(T? Request, SmtpReply? Error)
    where T : class
{
    public static SmtpRequest<T> Valid(T request) => new(request, null);

    public static SmtpRequest<T> Invalid(SmtpReply error) => new(default, error);

    public static implicit operator SmtpRequest<T>(SmtpReply error) => Invalid(error);
}

/// <summary>The request of a command that takes no argument (DATA, RSET, STARTTLS) or ignores it (NOOP, HELP, QUIT).</summary>
public sealed record NoArgument
{
    public static readonly NoArgument Instance = new();

    /// <summary>An empty argument, or the 501 for <paramref name="verb"/>.</summary>
    public static SmtpRequest<NoArgument> Require(string argument, string verb) =>
        argument.Trim().Length == 0
            ? SmtpRequest<NoArgument>.Valid(Instance)
            : SmtpReply.SyntaxError($"{verb} takes no argument");
}
