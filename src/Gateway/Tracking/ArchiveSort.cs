namespace MailGateway.Gateway.Tracking;

/// <summary>The orders the archive manager lists in (each backed by an index).</summary>
public enum ArchiveSort
{
    Newest,
    Oldest,
    HighestScl,
    LowestScl,
    Sender,
    Largest,
}
