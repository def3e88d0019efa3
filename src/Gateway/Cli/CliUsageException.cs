namespace MailGateway.Gateway.Cli;

/// <summary>A mistake on the command line: printed as one line with the verb's usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
