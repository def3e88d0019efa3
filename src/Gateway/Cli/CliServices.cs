using MailGateway.Filters.Chain;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Delivery.Relay;
using MailGateway.Gateway.Hosting;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// The services the offline verbs (archive, queue) need, configured from the same sources as the gateway, so
/// <c>mailgw archive list</c> looks at the same <c>Storage:Root</c> as <c>mailgw serve</c>.
/// </summary>
public static class CliServices
{
    public static ServiceProvider Create(CliArguments arguments) => Create(arguments, new Dictionary<string, string?>());

    /// <summary>
    /// The offline services plus the content filter chain (keywords, allow-list, model, image heuristic, and antivirus
    /// when <paramref name="overrides"/> leaves it on) and the disposition router, configured as the gateway would be.
    /// </summary>
    public static ServiceProvider CreateWithFilters(CliArguments arguments, IDictionary<string, string?> overrides)
    {
        var services = Collection(arguments, overrides, out var config);
        services.AddFilterChain(config, ConfigurationSources.ConfigDirectory());
        var thresholds = ConfigurationSources.ThresholdsPath(config);
        services.AddSingleton(sp => new SclRouter(thresholds, sp.GetRequiredService<ILogger<SclRouter>>()));
        services.AddSingleton<DispositionRouter>();
        return services.BuildServiceProvider();
    }

    private static ServiceProvider Create(CliArguments arguments, IDictionary<string, string?> overrides) =>
        Collection(arguments, overrides, out _).BuildServiceProvider();

    private static ServiceCollection Collection(CliArguments arguments, IDictionary<string, string?> overrides,
        out IConfiguration config)
    {
        var configuration = new ConfigurationBuilder();
        // Only --Section:Key settings go to configuration; the verb's own options are not settings.
        ConfigurationSources.Apply(configuration, arguments.Raw.Where(IsSetting).ToArray());
        configuration.AddInMemoryCollection(overrides);
        config = configuration.Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter(typeof(ArchiveCommand).FullName, LogLevel.Information));
        services.AddOptions<StorageOptions>().Bind(config.GetSection(StorageOptions.Section));
        services.AddSingleton<IConfiguration>(config);
        services.AddStorage();
        services.AddTracking(config);
        services.AddSingleton<RelayQueue>();
        // `mailgw archive release` delivers to the Maildirs; in relay mode it refuses (ArchiveCommand).
        services.AddSingleton<IMailboxDelivery, MaildirMailboxDelivery>();
        return services;
    }

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':');
}
