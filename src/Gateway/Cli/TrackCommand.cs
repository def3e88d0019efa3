using System.Globalization;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw track</c>: searches message tracking (the same database as the running gateway: SQLite under
/// Storage:Root, or Tracking:ConnectionString) and prints one line per message with its disposition, newest first.
/// With <c>--detail</c>, each message's filter outcomes and events follow its line.
/// </summary>
public sealed class TrackCommand : ICliCommand, IHasFlags
{
    public string Name => "track";

    public string Usage =>
        "track [--message-id ID] [--from ADDR] [--to ADDR] [--client IP] [--route R] [--min-scl N] [--max-scl N] [--since T] [--until T] [--limit N] [--detail]   T: yyyy-MM-dd[THH:mm], or 30m, 12h, 7d ago";

    public IReadOnlyCollection<string> Flags { get; } = ["detail"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var query = new TrackingQuery
        {
            MessageId = arguments.Get("message-id"),
            Sender = arguments.Get("from"),
            Recipient = arguments.Get("to"),
            ClientAddress = arguments.Get("client"),
            Disposition = arguments.Get("route"),
            MinScl = arguments.GetInt("min-scl"),
            MaxScl = arguments.GetInt("max-scl"),
            Since = Time(arguments, "since"),
            Until = Time(arguments, "until"),
            Limit = arguments.GetInt("limit") ?? 100,
        };
        await using var services = CliServices.Create(arguments);
        var store = services.GetRequiredService<ITrackingStore>();
        ResultPage<TrackedMessage> page;
        try
        {
            page = await store.SearchAsync(query, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var dialect = services.GetRequiredService<TrackingDialect>();
            Console.Error.WriteLine($"mailgw track: tracking database {dialect.Name} at {dialect.Location}: {ex.Message}");
            return 1;
        }

        foreach (var m in page.Items)
        {
            Console.WriteLine(string.Join('\t',
                m.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                m.Id,
                m.Disposition,
                m.ReplyCode.ToString(CultureInfo.InvariantCulture),
                "scl=" + (m.Scl?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                "from=<" + m.Sender + ">",
                "to=" + string.Join(',', m.Recipients),
                "client=" + m.ClientAddress,
                "message-id=" + (m.HeaderMessageId.Length == 0 ? "-" : m.HeaderMessageId),
                "subject=" + m.Subject));
            if (arguments.HasFlag("detail") && await store.GetAsync(m.Id, cancellationToken) is { } detail)
            {
                foreach (var f in detail.Filters)
                {
                    Console.WriteLine($"  filter {f.Filter}={f.Outcome} scl {Scl(f.SclBefore)}->{Scl(f.SclAfter)} {f.ElapsedMicroseconds}us");
                }

                foreach (var e in detail.Events)
                {
                    Console.WriteLine($"  event {e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {e.Kind} {e.Detail} ({e.Node})");
                }
            }
        }

        Console.Error.WriteLine($"{page.Items.Count} of {page.Total} message(s)");
        return page.Total == 0 ? 1 : 0;
    }

    private static string Scl(int? scl) => scl?.ToString(CultureInfo.InvariantCulture) ?? "none";

    /// <summary>An absolute date/time (UTC unless it says otherwise), or a span before now: 30m, 12h, 7d.</summary>
    public static DateTimeOffset? Time(CliArguments arguments, string name)
    {
        if (arguments.Get(name) is not { Length: > 0 } text)
        {
            return null;
        }

        if (text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? ago = text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (ago is { } span)
            {
                return DateTimeOffset.UtcNow - span;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CliUsageException($"--{name} must be a date (yyyy-MM-dd[THH:mm]) or a span (30m, 12h, 7d), not '{text}'");
    }
}
