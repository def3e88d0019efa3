namespace MailGateway.Filters.Chain;

/// <summary>One filter's line in the trace: what it concluded, how it moved the SCL, how long it took.</summary>
public sealed record TraceEntry(string Filter, string Outcome, int? SclBefore, int? SclAfter, long ElapsedMicroseconds)
{
    /// <summary>Compact form for the X-MailGateway-Trace header and `mailgw score`: <c>Model=ok(3)[412us]</c>.</summary>
    public override string ToString()
    {
        var scl = SclBefore == SclAfter ? "" : $"({Format(SclBefore)}->{Format(SclAfter)})";
        return $"{Filter}={Outcome}{scl}[{ElapsedMicroseconds}us]";
    }

    private static string Format(int? scl) => scl?.ToString() ?? "none";
}
