using System.Globalization;
using MailGateway.Gateway.Delivery.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw queue list|flush|delete</c>: the relay queue on the command line. It works on the files under
/// <c>Storage:Root</c>, so it needs no connection to the running gateway: <c>flush</c> leaves a marker the gateway
/// picks up within a second, <c>delete</c> removes the entry's files (the gateway drops it before its next attempt).
/// </summary>
public sealed class QueueCommand : ICliCommand
{
    public string Name => "queue";

    public string Usage => "queue list | flush | delete ID   the relay queue (Delivery:Mode=Relay)";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var sub = arguments.Positionals.FirstOrDefault() ?? throw new CliUsageException("which queue command?");
        await using var services = CliServices.Create(arguments);
        var queue = services.GetRequiredService<RelayQueue>();
        switch (sub)
        {
            case "list":
                List(queue);
                return 0;
            case "flush":
                queue.RequestFlush();
                Console.WriteLine($"flush requested ({queue.FlushMarker}); a running gateway retries every deferred message within a second");
                return 0;
            case "delete":
                var id = arguments.Positionals.ElementAtOrDefault(1) ?? throw new CliUsageException("delete needs a queue ID");
                if (id.IndexOfAny(['/', '\\', '.']) >= 0 || queue.Read(id) is null)
                {
                    Console.Error.WriteLine($"mailgw queue delete: no queued message with id '{id}'");
                    return 1;
                }

                await queue.RemoveAsync(id);
                Console.WriteLine($"deleted {id}");
                return 0;
            default:
                throw new CliUsageException($"unknown queue command '{sub}'");
        }
    }

    private static void List(RelayQueue queue)
    {
        var entries = queue.List();
        Console.WriteLine("id\treceived\tfrom\tnext_hop\trecipients\tattempts\tnext_attempt\tlast_error");
        foreach (var e in entries)
        {
            foreach (var hop in e.Hops)
            {
                Console.WriteLine(string.Join('\t', e.Id,
                    e.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    e.From.Length == 0 ? "<>" : e.From,
                    hop.NextHop.Length == 0 ? "(no route)" : hop.NextHop,
                    string.Join(',', hop.Recipients),
                    hop.Attempts.ToString(CultureInfo.InvariantCulture),
                    hop.NextAttemptAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    OneLine(hop.LastError ?? "-")));
            }
        }

        Console.WriteLine($"{entries.Count} messages, {entries.Sum(e => e.RecipientCount)} recipients");
    }

    private static string OneLine(string s) => s.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
