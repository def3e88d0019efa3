using MailGateway.Filters.Chain;

namespace MailGateway.Filters.AllowList;

/// <summary>
/// Allow- and block-lists in the chain: an allowed sender, domain or client network makes the message trusted
/// (SCL -1, spam filters skipped, antivirus still runs); a blocked one is refused with 550 5.7.1.
/// </summary>
public sealed class AllowListFilter(AllowListService lists) : IMessageFilter
{
    public static readonly RefuseDecision Blocked = new(550, "5.7.1", "Message refused by the block-list policy");

    public string Name => "AllowList";

    public FilterKind Kind => FilterKind.Policy;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        if (!lists.IsEnabled)
        {
            return FilterStepResult.Continue("disabled");
        }

        var message = await context.GetMimeMessageAsync(cancellationToken);
        var headerFrom = message?.From.Mailboxes.FirstOrDefault()?.Address;
        var decision = lists.Evaluate(context.Envelope.Sender, headerFrom, context.Envelope.ClientAddress);
        switch (decision.Verdict)
        {
            case AllowListVerdict.Blocked:
                context.Decision = Blocked;
                return FilterStepResult.Stop($"blocked:{decision.Rule?.Kind}");
            case AllowListVerdict.Allowed:
                context.MarkTrusted();
                return FilterStepResult.Continue($"allowed:{decision.Rule?.Kind}");
            default:
                return FilterStepResult.Continue("none");
        }
    }
}
