using MailGateway.Filters.Chain;
using MailGateway.Filters.Dmarc;

namespace MailGateway.Filters.AllowList;

/// <summary>
/// Allow- and block-lists in the chain: an allowed sender, domain or client network makes the message trusted
/// (SCL -1, spam filters skipped, antivirus still runs); a blocked one is refused with 550 5.7.1. With
/// AllowList:RequireAuthentication a sender or domain allow rule matches only an identity that SPF or DKIM
/// authenticated (aligned, as rspamd's whitelist module requires), and the trace says which one.
/// </summary>
public sealed class AllowListFilter(AllowListService lists, PublicSuffixList? suffixes = null) : IMessageFilter
{
    private readonly PublicSuffixList _suffixes = suffixes ?? PublicSuffixList.Empty;

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
        var auth = context.Authentication;
        Func<string?, bool>? authenticated = lists.RequireAuthentication
            ? domain => auth.AuthenticatedIdentity(domain, _suffixes) is not null
            : null;
        var decision = lists.Evaluate(context.Envelope.Sender, headerFrom, context.Envelope.ClientAddress, authenticated);
        switch (decision.Verdict)
        {
            case AllowListVerdict.Blocked:
                context.Decision = Blocked;
                return FilterStepResult.Stop($"blocked:{decision.Rule?.Kind}");
            case AllowListVerdict.Allowed:
                context.MarkTrusted();
                return FilterStepResult.Continue($"allowed:{decision.Rule?.Kind}:{Identity(decision, context, headerFrom)}");
            default:
                return FilterStepResult.Continue("none");
        }
    }

    /// <summary>What matched: the client address, or the sender and the pass that authenticated it.</summary>
    private string Identity(AllowListDecision decision, MessageContext context, string? headerFrom)
    {
        if (decision.Input == AllowListInput.ClientAddress)
        {
            return "client";
        }

        var address = decision.Input == AllowListInput.HeaderFrom ? headerFrom : context.Envelope.Sender;
        var at = address?.LastIndexOf('@') ?? -1;
        var domain = at < 0 ? null : address![(at + 1)..].TrimEnd('>', '.');
        var by = context.Authentication.AuthenticatedIdentity(domain, _suffixes) ?? "unauthenticated";
        return $"{(decision.Input == AllowListInput.HeaderFrom ? "from" : "mailfrom")}({by})";
    }
}
