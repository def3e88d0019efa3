namespace MailGateway.Filters.Chain;

/// <summary>What the chain does when a filter throws (<c>Filters:OnError:&lt;filter&gt;</c>).</summary>
public enum FilterErrorAction
{
    /// <summary>Fail open: the message goes on without this filter's verdict (traced as <c>error</c>, counted).</summary>
    Continue,

    /// <summary>Fail closed: 451 4.7.1, so the sender retries and nothing passes unjudged.</summary>
    TempFail,
}
