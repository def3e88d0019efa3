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
        WebApplication app;
        try
        {
            app = GatewayHost.Build(arguments.Raw.ToArray());
        }
        catch (ConfigurationErrorException ex)
        {
            foreach (var failure in ex.Failures)
            {
                Console.Error.WriteLine($"mailgw: configuration error: {failure}");
            }

            return 1;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"mailgw: configuration error: {ex.Message}");
            return 1;
        }

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                Console.Error.WriteLine($"mailgw: configuration error: {failure}");
            }

            return 1;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase)
                                                   || ex.Message.Contains("convert", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"mailgw: configuration error: {ex.Message}");
            return 1;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            Console.Error.WriteLine($"mailgw: cannot listen: {ex.Message}");
            return 1;
        }
        catch (IOException ex) when (ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"mailgw: cannot listen: {ex.Message}");
            return 1;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
