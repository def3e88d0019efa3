namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Reads message tracking: searches, one message's record, and the figures the dashboard and threshold tuning show.
/// Writes never come through here on the SMTP path: they go to <see cref="TrackingRecorder"/>, which hands them to
/// <see cref="TrackingWriter"/> in batches. Every method throws when the database cannot be reached; callers show the
/// error (a page, the command line), mail is never affected.
/// </summary>
public interface ITrackingStore
{
    /// <summary>Messages matching <paramref name="query"/>, newest first, with the total that match.</summary>
    Task<ResultPage<TrackedMessage>> SearchAsync(TrackingQuery query, CancellationToken cancellationToken);

    /// <summary>One message by gateway id (or Message-ID header when no gateway id matches), with filters and events.</summary>
    Task<TrackedMessageDetail?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Messages per minute and disposition received in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<DispositionCount>> CountsPerMinuteAsync(DateTimeOffset since, DateTimeOffset until,
        CancellationToken cancellationToken);

    /// <summary>Messages per SCL over the last <paramref name="days"/> days, with how many were released as ham or marked as spam.</summary>
    Task<IReadOnlyList<ScoreBucket>> SclHistogramAsync(int days, CancellationToken cancellationToken);

    /// <summary>Messages per BCL (bulk confidence) over the last <paramref name="days"/> days, as <see cref="SclHistogramAsync"/>.</summary>
    Task<IReadOnlyList<ScoreBucket>> BclHistogramAsync(int days, CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="limit"/> senders, sender domains or client networks with the most refused, archived, virus
    /// or junk messages over the last <paramref name="days"/> days, most first.
    /// </summary>
    Task<IReadOnlyList<TopEntry>> TopAsync(TopKind kind, int days, int limit, CancellationToken cancellationToken);
}
