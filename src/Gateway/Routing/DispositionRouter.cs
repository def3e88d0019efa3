using MailGateway.Filters.Chain;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// The one place that decides a message's <see cref="Disposition"/>: a filter's own decision first (refuse, virus
/// archive, archive), then the SCL against the thresholds in force. Read once per message, so a threshold reload
/// between the decision and the store cannot make them disagree.
/// </summary>
public sealed class DispositionRouter(SclRouter router)
{
    /// <summary>The reply for a message at or above the reject threshold.</summary>
    public static readonly RefuseDisposition RejectedAsSpam = new(550, "5.7.1", "Message rejected as spam");

    private static readonly InboxDisposition Inbox = new();
    private static readonly JunkDisposition Junk = new();

    public Disposition Decide(MessageContext context) => context.Decision switch
    {
        RefuseDecision refuse => new RefuseDisposition(refuse.Code, refuse.EnhancedCode, refuse.Text),
        VirusArchiveDecision virus => new VirusArchiveDisposition(virus.Signature),
        ArchiveDecision archive => new ArchiveDisposition(archive.Reason),
        _ => router.RouteFor(context.Scl, context.Bcl) switch
        {
            MessageRoute.Reject => RejectedAsSpam,
            MessageRoute.Archive => new ArchiveDisposition($"SCL {context.Scl}"),
            MessageRoute.Junk => Junk,
            _ => Inbox,
        },
    };
}
