namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Relay</c> section: the internal server(s) the queue delivers to, and how hard it tries.</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>The default next hop, <c>host:port</c> (port 25 when omitted).</summary>
    public string? SmartHost { get; set; }

    public RelayTlsMode Tls { get; set; } = RelayTlsMode.StartTlsWhenAvailable;

    /// <summary>Recipient domain → <c>host:port</c>, overriding the smart host for that domain.</summary>
    public Dictionary<string, string> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Concurrent SMTP connections to the next hops, all hops together.</summary>
    public int MaxConnections { get; set; } = 10;

    /// <summary>
    /// Waits after the 1st, 2nd, … failed attempt; the last one repeats. Default 1, 5, 15, 30 minutes, then hourly.
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = new();

    /// <summary>A message still undelivered after this long is bounced (4.4.7).</summary>
    public TimeSpan MaxQueueAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Connect and per-command timeout towards the next hop.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    public static readonly TimeSpan[] DefaultRetrySchedule =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
    ];

    /// <summary>The wait after <paramref name="failedAttempts"/> failed attempts (1-based).</summary>
    public TimeSpan RetryDelay(int failedAttempts) =>
        RetrySchedule[Math.Clamp(failedAttempts - 1, 0, RetrySchedule.Count - 1)];
}
