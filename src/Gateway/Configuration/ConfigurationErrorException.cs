namespace MailGateway.Gateway.Configuration;

/// <summary>A setting that stops the start; each line names the key and the reason.</summary>
public sealed class ConfigurationErrorException(IReadOnlyList<string> failures)
    : Exception(string.Join("; ", failures))
{
    public IReadOnlyList<string> Failures { get; } = failures;
}
