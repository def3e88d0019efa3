using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// The tracking store of a gateway under test, opened from outside the process as the offline verbs open it (the
/// SQLite file under its Storage:Root): what a page shows is checked against what the store answers.
/// </summary>
public sealed class TrackingDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public TrackingDatabase(string storageRoot)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Root"] = storageRoot, ["Smtp:HostName"] = "test-reader" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddStorage();
        services.AddTracking(configuration);
        _services = services.BuildServiceProvider();
        Store = _services.GetRequiredService<ITrackingStore>();
    }

    public ITrackingStore Store { get; }

    /// <summary>Waits until the gateway's batched writer has stored a message matching <paramref name="query"/>.</summary>
    public async Task<TrackedMessage> WaitForAsync(TrackingQuery query, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                var page = await Store.SearchAsync(query, CancellationToken.None);
                if (page.Items.Count > 0)
                {
                    return page.Items[0];
                }
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // The database may not exist yet: the gateway creates it with its first batch.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no tracking record for {query}");
            }

            await Task.Delay(200);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
