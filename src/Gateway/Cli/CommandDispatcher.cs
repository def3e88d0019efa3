using System.Reflection;

namespace MailGateway.Gateway.Cli;

/// <summary>Finds the verb and runs it; <c>serve</c> when there is none or the first argument is an option.</summary>
public static class CommandDispatcher
{
    public static IReadOnlyList<ICliCommand> Commands { get; } = Discover();

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length == 0 || args[0].StartsWith('-') ? "serve" : args[0];
        var rest = args.Length == 0 || args[0].StartsWith('-') ? args : args[1..];

        if (verb is "help" or "--help" or "-h")
        {
            PrintHelp(Console.Out);
            return 0;
        }

        var command = Commands.FirstOrDefault(c => string.Equals(c.Name, verb, StringComparison.OrdinalIgnoreCase));
        if (command is null)
        {
            Console.Error.WriteLine($"mailgw: unknown command '{verb}'");
            PrintHelp(Console.Error);
            return 2;
        }

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        // serve installs the host's own SIGTERM/SIGINT handling; the batch verbs stop on Ctrl+C.
        if (command.Name != "serve")
        {
            Console.CancelKeyPress += onCancel;
        }

        try
        {
            return await command.RunAsync(new CliArguments(rest, FlagsOf(command)), cts.Token);
        }
        catch (CliUsageException ex)
        {
            Console.Error.WriteLine($"mailgw {command.Name}: {ex.Message}");
            Console.Error.WriteLine($"usage: mailgw {command.Usage}");
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine($"mailgw {command.Name}: cancelled");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static IReadOnlyCollection<string> FlagsOf(ICliCommand command) =>
        command is IHasFlags f ? f.Flags : Array.Empty<string>();

    private static void PrintHelp(TextWriter writer)
    {
        writer.WriteLine("usage: mailgw <command> [options]");
        foreach (var c in Commands.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            writer.WriteLine($"  mailgw {c.Usage}");
        }
    }

    private static IReadOnlyList<ICliCommand> Discover() =>
        typeof(CommandDispatcher).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
            .ToList();
}

/// <summary>A verb with switches that take no value (e.g. <c>--antivirus</c>).</summary>
public interface IHasFlags
{
    IReadOnlyCollection<string> Flags { get; }
}
