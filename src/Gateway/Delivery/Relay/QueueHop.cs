namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>The recipients of a queued message that go to one next hop, and how delivery to it has gone so far.</summary>
public sealed class QueueHop
{
    /// <summary><c>host:port</c>; empty when no route and no smart host matches (bounced as 5.4.4).</summary>
    public string NextHop { get; set; } = "";

    public List<string> Recipients { get; set; } = new();

    /// <summary>Failed attempts so far (a successful attempt removes the hop).</summary>
    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}
