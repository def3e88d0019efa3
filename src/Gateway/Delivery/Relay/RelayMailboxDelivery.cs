using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The relay mode: the inbox and junk routes both go to the internal server through the durable queue. The junk
/// route is marked so the internal server files it as junk (<c>X-Spam-Flag: YES</c>), and both carry the SCL in the
/// header Exchange reads (<c>X-MS-Exchange-Organization-SCL</c>).
/// </summary>
public sealed class RelayMailboxDelivery(RelayQueue queue, RelayRoutes routes, RelayScheduler scheduler) : IMailboxDelivery
{
    public const string ExchangeScl = "X-MS-Exchange-Organization-SCL";

    public async Task DeliverAsync(MessageContent content, Envelope envelope, MaildirFolder folder, int? scl,
        CancellationToken cancellationToken)
    {
        var headers = content.AddedHeaders
            .Where(h => !(folder == MaildirFolder.Junk && h.StartsWith(GatewayHeaders.SpamFlag + ":", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (folder == MaildirFolder.Junk)
        {
            headers.Add($"{GatewayHeaders.SpamFlag}: YES");
        }

        if (scl is { } n)
        {
            headers.Add($"{ExchangeScl}: {n}");
        }

        var now = DateTimeOffset.UtcNow;
        var entry = new QueueEntry
        {
            Id = content.Id,
            From = envelope.FromAddress,
            ReceivedAt = now,
            Hops = routes.Group(envelope.Recipients.Select(r => r.Address), now),
        };
        var relayed = content with { AddedHeaders = headers };
        await queue.EnqueueAsync(entry, relayed.WriteToAsync, cancellationToken);
        scheduler.Add(entry);
    }
}
