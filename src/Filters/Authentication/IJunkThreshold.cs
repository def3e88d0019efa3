namespace MailGateway.Filters.Authentication;

/// <summary>
/// The SCL at which a message goes to junk, as the gateway's routing has it now (config/thresholds.json, re-read when
/// it changes): what DMARC's p=quarantine raises a message to.
/// </summary>
public interface IJunkThreshold
{
    int JunkThreshold { get; }
}

/// <summary>A fixed threshold, for hosts without the gateway's router (the CLI, tests).</summary>
public sealed class FixedJunkThreshold(int junkThreshold) : IJunkThreshold
{
    public int JunkThreshold { get; } = junkThreshold;
}
