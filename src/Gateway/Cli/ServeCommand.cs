using MailGateway.Filters.ConfigFiles;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Cli;

/// <summary><c>mailgw serve</c>: runs the gateway until SIGTERM or Ctrl+C.</summary>
public sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";

    public string Usage => "serve [--Section:Key value ...]   run the gateway (the default)";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        WebApplication? app = null;
        try
        {
            app = GatewayHost.Build(arguments.Raw.ToArray());
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (StartFailure(ex) is { } lines)
        {
            foreach (var line in lines)
            {
                Console.Error.WriteLine($"mailgw: {line}");
            }

            return 1;
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>The lines to print for an exception that means "this configuration cannot start"; null otherwise.</summary>
    private static IEnumerable<string>? StartFailure(Exception ex) => ex switch
    {
        OptionsValidationException v => v.Failures.Select(f => $"configuration error: {f}"),
        ConfigurationErrorException c => c.Failures.Select(f => $"configuration error: {f}"),
        ConfigFileException f => [$"configuration error: {f.Message}"],
        InvalidOperationException i when i.Message.Contains("convert", StringComparison.OrdinalIgnoreCase)
                                         || i.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) =>
            [$"configuration error: {i.Message}"],
        System.Net.Sockets.SocketException s => [$"cannot listen: {s.Message}"],
        IOException io when io.Message.Contains("address", StringComparison.OrdinalIgnoreCase) => [$"cannot listen: {io.Message}"],
        _ => null,
    };
}
