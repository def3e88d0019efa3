using System.Text.Json.Serialization;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The envelope and attempt state of one queued message: as accepted on the first line of <c>queue/&lt;id&gt;.eml</c>
/// (<see cref="QueueEnvelope"/>), after an attempt in <c>queue/&lt;id&gt;.json</c>.
/// Recipients are grouped by next hop; a hop's recipients leave the list once the hop has answered for them.
/// </summary>
public sealed class QueueEntry
{
    public string Id { get; set; } = "";

    /// <summary>The envelope sender; empty for the null sender (a bounce), which is never bounced.</summary>
    public string From { get; set; } = "";

    /// <summary>When the gateway accepted the message; <c>Relay:MaxQueueAge</c> counts from here.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    public List<QueueHop> Hops { get; set; } = new();

    /// <summary>Serialises state changes and their file writes for this entry (its hops may be delivered in parallel).</summary>
    [JsonIgnore]
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Set when the entry was removed (delivered, bounced, or deleted from the command line).</summary>
    [JsonIgnore]
    public bool Removed { get; set; }

    public int RecipientCount => Hops.Sum(h => h.Recipients.Count);
}
