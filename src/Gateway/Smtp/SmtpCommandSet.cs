namespace MailGateway.Gateway.Smtp;

/// <summary>The verbs the gateway knows, by name.</summary>
public sealed class SmtpCommandSet(IEnumerable<ISmtpCommand> commands)
{
    private readonly Dictionary<string, ISmtpCommand> _byVerb =
        commands.ToDictionary(c => c.Verb, StringComparer.Ordinal);

    public ISmtpCommand? Find(string verb) => _byVerb.GetValueOrDefault(verb);
}
