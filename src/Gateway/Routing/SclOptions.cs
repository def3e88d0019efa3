namespace MailGateway.Gateway.Routing;

/// <summary>
/// The <c>Scl</c> thresholds (Exchange IMF style), each in -1..10 with Junk ≤ Archive ≤ Reject:
/// below Junk → inbox; Junk ≤ SCL &lt; Archive → junk folder; Archive ≤ SCL &lt; Reject → archive only;
/// SCL ≥ Reject → 550 5.7.1. 10 switches a threshold off.
/// </summary>
public sealed class SclOptions
{
    public const string Section = "Scl";

    public int JunkThreshold { get; set; } = 4;

    public int ArchiveThreshold { get; set; } = 7;

    public int RejectThreshold { get; set; } = 10;

    public override string ToString() => $"junk>={JunkThreshold} archive>={ArchiveThreshold} reject>={RejectThreshold}";
}
