namespace MailGateway.Filters.Spf;

/// <summary>Ends an evaluation with a temperror or permerror (RFC 7208 4.6: errors end check_host at once).</summary>
public sealed class SpfException(SpfResult result, string reason) : Exception(reason)
{
    public SpfResult Result { get; } = result;
}
