namespace MailGateway.Filters.AllowList;

/// <summary>The outcome of <see cref="AllowListPolicy.Evaluate"/>: the verdict and, unless it is None, the rule that decided.</summary>
/// <param name="Verdict">Allowed, Blocked or None.</param>
/// <param name="Rule">The deciding rule; null when <paramref name="Verdict"/> is None.</param>
/// <param name="Input">Which value of the message the rule matched; null when <paramref name="Verdict"/> is None.</param>
public sealed record AllowListDecision(AllowListVerdict Verdict, AllowListRule? Rule, AllowListInput? Input)
{
    /// <summary>No rule matched.</summary>
    public static AllowListDecision None { get; } = new(AllowListVerdict.None, null, null);

    /// <summary>The SCL an allowed message gets: -1, trusted.</summary>
    public const int AllowedScl = -1;
}
