using System.Globalization;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw archive list|show|release|report-spam</c>: the archive manager on the command line.
/// </summary>
public sealed class ArchiveCommand : ICliCommand
{
    public string Name => "archive";

    public string Usage =>
        "archive list [--since yyyy-MM-dd] [--min-scl N] [--search TEXT] | show ID | release ID | report-spam PATH";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var sub = arguments.Positionals.FirstOrDefault() ?? throw new CliUsageException("which archive command?");
        await using var services = CliServices.Create(arguments);
        var catalog = services.GetRequiredService<ArchiveCatalog>();
        try
        {
            return await RunAsync(sub, services, catalog, arguments, cancellationToken);
        }
        finally
        {
            // No background writer here: what release and report-spam recorded is written before the process exits.
            await services.GetRequiredService<TrackingWriter>().FlushAsync();
        }
    }

    private static async Task<int> RunAsync(string sub, ServiceProvider services, ArchiveCatalog catalog,
        CliArguments arguments, CancellationToken cancellationToken)
    {
        switch (sub)
        {
            case "list":
                // The files are the source of truth: index what the gateway has not (cheap when nothing is missing).
                await services.GetRequiredService<ArchiveIndexRebuild>().RunAsync(cancellationToken);
                return await ListAsync(services.GetRequiredService<IArchiveIndex>(), arguments, cancellationToken);
            case "show":
                return await ShowAsync(catalog, Id(arguments), cancellationToken);
            case "release":
                if (services.GetRequiredService<IConfiguration>().GetValue("Delivery:Mode", DeliveryMode.Maildir) == DeliveryMode.Relay)
                {
                    // Only the running gateway's relay worker delivers from the queue: release on its admin page.
                    Console.Error.WriteLine("mailgw archive release: in relay mode, release from the admin page (/archive/ID)");
                    return 1;
                }

                var error = await services.GetRequiredService<ArchiveRelease>().ReleaseAsync(Id(arguments), cancellationToken);
                // The same event as the admin page's, with the local user as the actor.
                services.GetRequiredService<ILogger<ArchiveCommand>>().LogInformation(
                    "Admin {Action} of {MessageId} by {Actor} from {ClientIp}: {Outcome}",
                    "release", Id(arguments), $"cli:{Environment.UserName}", "local", error ?? "released");
                if (error is not null)
                {
                    Console.Error.WriteLine($"mailgw archive release: {error}");
                    return 1;
                }

                Console.WriteLine($"released {Id(arguments)}");
                return 0;
            case "report-spam":
                var path = arguments.Positionals.ElementAtOrDefault(1) ?? throw new CliUsageException("report-spam needs a PATH");
                if (!File.Exists(path))
                {
                    Console.Error.WriteLine($"mailgw archive report-spam: no file '{path}'");
                    return 1;
                }

                var kept = await services.GetRequiredService<FeedbackStore>().KeepAsync(path, FeedbackKind.Spam, cancellationToken, $"cli:{Environment.UserName}");
                Console.WriteLine($"kept as spam feedback: {kept}");
                return 0;
            default:
                throw new CliUsageException($"unknown archive command '{sub}'");
        }
    }

    private static string Id(CliArguments arguments) =>
        arguments.Positionals.ElementAtOrDefault(1) ?? throw new CliUsageException("an archive id is needed");

    private static async Task<int> ListAsync(IArchiveIndex index, CliArguments arguments, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = null;
        if (arguments.Get("since") is { } s)
        {
            since = DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                ? d
                : throw new CliUsageException($"--since must be a date (yyyy-MM-dd), not '{s}'");
        }

        var minScl = arguments.GetInt("min-scl");
        var search = arguments.Get("search");
        var entries = new List<ArchiveEntry>();
        for (var offset = 0; ; offset += 1000)
        {
            var page = await index.ListAsync(new ArchiveQuery
            {
                Since = since,
                MinScl = minScl,
                Text = search,
                Offset = offset,
                Limit = 1000,
            }, cancellationToken);
            entries.AddRange(page.Items);
            if (page.Items.Count < 1000)
            {
                break;
            }
        }

        Console.WriteLine("id\tdate\tsender\tsubject\tscl\tstate\ttrace");
        foreach (var e in entries)
        {
            var state = e.IsVirus ? "virus" : e.Released ? "released" : "archived";
            var trace = string.Join(' ', e.Trace.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3));
            Console.WriteLine(string.Join('\t', e.Id, e.Date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                e.EnvelopeFrom, OneLine(e.Subject), e.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-", state, trace));
        }

        return 0;
    }

    private static string OneLine(string s) => s.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

    private static async Task<int> ShowAsync(ArchiveCatalog catalog, string id, CancellationToken cancellationToken)
    {
        var entry = catalog.Find(id);
        if (entry is null)
        {
            Console.Error.WriteLine($"mailgw archive show: no archived message with id '{id}'");
            return 1;
        }

        await using var stdout = Console.OpenStandardOutput();
        await using var file = File.OpenRead(entry.Path);
        await file.CopyToAsync(stdout, cancellationToken);
        return 0;
    }
}
