namespace MailGateway.Gateway.Routing;

/// <summary>What config/thresholds.json sets: the SCL thresholds and the bulk threshold, replaced together on reload.</summary>
public sealed record RoutingThresholds(SclOptions Scl, BulkOptions Bulk)
{
    public override string ToString() => $"{Scl} {Bulk}";
}
