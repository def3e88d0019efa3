namespace MailGateway.Filters.Antivirus;

/// <summary>What the gateway does with a message clamd finds infected (<c>Antivirus:OnInfected</c>).</summary>
public enum AntivirusInfectedAction
{
    /// <summary>Refuse it at the end of DATA with 554 5.7.1; nothing is stored.</summary>
    Reject,

    /// <summary>Accept it with 250 and keep it in the virus archive only, never in a mailbox.</summary>
    Archive,
}
