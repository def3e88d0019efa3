using MailGateway.Gateway.Delivery;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// The archive's index in the tracking database: one row per archived file (on any gateway sharing the database), so
/// the archive manager lists a page without opening files. The files stay the source of truth: the index is rebuilt
/// from them at start when it is missing rows (<see cref="ArchiveIndexRebuild"/>), and rows are written through
/// <see cref="TrackingRecorder"/> when a message is archived, released or deleted.
/// </summary>
public interface IArchiveIndex
{
    /// <summary>One page of archived messages, filtered and sorted, with the total that match.</summary>
    Task<ResultPage<ArchiveEntry>> ListAsync(ArchiveQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The indexed entry for an id, whichever gateway holds the file (<see cref="ArchiveEntry.Node"/>,
    /// <see cref="ArchiveEntry.Path"/>); null when the index has no such row.
    /// </summary>
    Task<ArchiveEntry?> FindAsync(string id, CancellationToken cancellationToken);
}
