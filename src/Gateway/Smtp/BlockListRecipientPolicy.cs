using MailGateway.Filters.AllowList;

namespace MailGateway.Gateway.Smtp;

/// <summary>The allow-list file's block rules, checked at RCPT so a blocked sender is refused before any data moves.</summary>
public sealed class BlockListRecipientPolicy(AllowListService allowList) : IRecipientPolicy
{
    public ValueTask<SmtpReply?> CheckAsync(RecipientCheck check, CancellationToken cancellationToken)
    {
        var policy = allowList.Evaluate(check.Sender?.Address ?? "", null, check.Client);
        return ValueTask.FromResult(policy.Verdict == AllowListVerdict.Blocked ? SmtpReply.BlockedByPolicy : null);
    }
}
