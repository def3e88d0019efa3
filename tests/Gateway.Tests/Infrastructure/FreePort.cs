namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>Free loopback ports for the servers these tests start: 20000..29999 (Filters.Tests, beside it, uses 30000..32767).</summary>
public static class FreePort
{
    private static readonly LoopbackPorts Ports = new(20_000, 29_999);

    public static int Next() => Ports.Next();
}
