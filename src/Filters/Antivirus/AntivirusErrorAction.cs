namespace MailGateway.Filters.Antivirus;

/// <summary>What the gateway does when a message could not be scanned (<c>Antivirus:OnError</c>).</summary>
public enum AntivirusErrorAction
{
    /// <summary>Answer 451 4.7.1 so that the sender retries later; nothing is lost and nothing unscanned passes.</summary>
    TempFail,

    /// <summary>Deliver it unscanned, marked <c>X-Virus-Scanned: skipped (reason)</c>.</summary>
    Accept,
}
