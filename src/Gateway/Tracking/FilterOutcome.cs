namespace MailGateway.Gateway.Tracking;

/// <summary>One filter's outcome for one message, in chain order: what it concluded, how it moved the SCL, how long it took.</summary>
public sealed record FilterOutcome(
    int Position,
    string Filter,
    string Outcome,
    int? SclBefore,
    int? SclAfter,
    long ElapsedMicroseconds);
