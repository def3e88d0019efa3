using MailGateway.Gateway.Delivery;

namespace MailGateway.Gateway.Tracking;

/// <summary>One change to the tracking database, queued by <see cref="TrackingRecorder"/> and applied in a batch.</summary>
public abstract record TrackingWrite
{
    /// <summary>True for writes to the archive index, which a rebuild from the files can catch up after a gap.</summary>
    public virtual bool IsArchiveIndex => false;
}

/// <summary>A message's decision and each filter's outcome.</summary>
public sealed record MessageTracked(TrackedMessage Message, IReadOnlyList<FilterOutcome> Filters) : TrackingWrite;

/// <summary>An event after the decision (release, mark, relay reply).</summary>
public sealed record EventAppended(TrackingEvent Event) : TrackingWrite;

/// <summary>A message was archived (or found in the archive folder by a rebuild).</summary>
public sealed record ArchiveIndexed(ArchiveEntry Entry) : TrackingWrite
{
    public override bool IsArchiveIndex => true;
}

/// <summary>An archived message was released.</summary>
public sealed record ArchiveReleased(string Id, DateTimeOffset At) : TrackingWrite
{
    public override bool IsArchiveIndex => true;
}

/// <summary>An archived file is gone.</summary>
public sealed record ArchiveRemoved(string Id) : TrackingWrite
{
    public override bool IsArchiveIndex => true;
}

/// <summary>An administrator marked a message as spam or ham.</summary>
public sealed record FeedbackRecorded(FeedbackMark Mark) : TrackingWrite;
