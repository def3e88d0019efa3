namespace MailGateway.Filters.Chain;

/// <summary>
/// One stage of the filter chain. It reads the message through <see cref="MessageContext"/> (parsed once, shared),
/// may set or adjust the SCL, add headers or take a <see cref="FilterDecision"/>, and returns a short outcome for the
/// trace. Throwing is allowed: the chain records it and goes on (or, for a security filter, refuses with 4xx).
/// </summary>
public interface IMessageFilter
{
    /// <summary>The name used in <c>Filters:Order</c> and in the trace.</summary>
    string Name { get; }

    FilterKind Kind { get; }

    Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken);
}

/// <summary>What a filter reports: its outcome word for the trace, and whether the chain ends here.</summary>
public readonly record struct FilterStepResult(string Outcome, bool StopChain = false)
{
    public static FilterStepResult Continue(string outcome) => new(outcome);

    public static FilterStepResult Stop(string outcome) => new(outcome, true);
}
