namespace MailGateway.Gateway.Tracking;

/// <summary>Which archived messages a listing shows.</summary>
public enum ArchiveStateFilter
{
    /// <summary>Everything in the index: spam archive and virus archive, released or not.</summary>
    All,

    /// <summary>Spam archive, not released yet: what waits for a decision.</summary>
    Held,

    Released,

    Virus,
}
