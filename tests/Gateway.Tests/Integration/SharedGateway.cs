using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>One gateway process shared by the protocol tests (small limits so they are cheap to reach).</summary>
public sealed class SharedGateway : IAsyncLifetime
{
    public const long MaxMessageBytes = 300_000;
    public const int MaxRecipients = 5;

    public GatewayProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
    {
        ["Smtp:MaxMessageBytes"] = MaxMessageBytes.ToString(),
        ["Smtp:MaxRecipients"] = MaxRecipients.ToString(),
    });

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedGatewayCollection : ICollectionFixture<SharedGateway>
{
    public const string Name = "shared gateway";
}
