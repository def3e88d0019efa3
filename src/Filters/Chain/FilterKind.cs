namespace MailGateway.Filters.Chain;

/// <summary>Whether a filter may be skipped for a trusted (allow-listed) message.</summary>
public enum FilterKind
{
    /// <summary>Always runs (antivirus): a trusted sender can still send a virus.</summary>
    Security,

    /// <summary>Spam scoring: skipped once the message is trusted (SCL -1).</summary>
    Spam,

    /// <summary>Decides trust itself (the allow-list).</summary>
    Policy,
}
