using System.Diagnostics.Metrics;

namespace MailGateway.Filters.Attachments;

/// <summary>
/// The attachment policy's counters (Meter <c>MailGateway.Attachments</c>), as Exchange's Attachment Filtering agent
/// reports them: messages checked, and messages with a verdict by kind and the action taken.
/// </summary>
public sealed class AttachmentMetrics : IDisposable
{
    public const string MeterName = "MailGateway.Attachments";

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _verdicts;
    private readonly Counter<long> _archiveEntries;

    public AttachmentMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _messages = _meter.CreateCounter<long>("mailgateway.attachments.messages", "{message}",
            "Messages whose attachments were checked");
        _verdicts = _meter.CreateCounter<long>("mailgateway.attachments.verdicts", "{message}",
            "Messages with a blocked, encrypted or unscannable attachment, by verdict and action");
        _archiveEntries = _meter.CreateCounter<long>("mailgateway.attachments.archive_entries", "{entry}",
            "Archive entries listed inside attachments");
    }

    public void Checked(AttachmentScan scan)
    {
        _messages.Add(1);
        _archiveEntries.Add(scan.ArchiveEntries);
    }

    public void Verdict(AttachmentFindingKind kind, AttachmentAction action) => _verdicts.Add(1,
        new KeyValuePair<string, object?>("verdict", kind switch
        {
            AttachmentFindingKind.Blocked => "blocked",
            AttachmentFindingKind.EncryptedArchive => "encrypted",
            _ => "unscannable",
        }),
        new KeyValuePair<string, object?>("action", action.ToString().ToLowerInvariant()));

    public void Dispose() => _meter.Dispose();
}
