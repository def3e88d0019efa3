namespace MailGateway.Gateway.Cli;

/// <summary><c>mailgw serve</c>: runs the gateway until SIGTERM or Ctrl+C.</summary>
public sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";

    public string Usage => "serve [--Section:Key value ...]   run the gateway (the default)";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        return 0;
    }
}
