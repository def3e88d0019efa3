using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.AllowList;

/// <summary>Registers the allow- and block-lists.</summary>
public static class AllowListServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AllowListOptions"/> from the <c>AllowList</c> section of <paramref name="configuration"/>,
    /// validates it at start, and registers <see cref="AllowListService"/> as a singleton whose relative
    /// <c>AllowList:Path</c> resolves against <paramref name="baseDirectory"/> (the gateway's config folder).
    /// </summary>
    public static IServiceCollection AddAllowList(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);

        services.AddOptions<AllowListOptions>()
            .Bind(configuration.GetSection(AllowListOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AllowListOptions>, AllowListOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new AllowListService(
            provider.GetRequiredService<IOptionsMonitor<AllowListOptions>>(),
            baseDirectory,
            provider.GetRequiredService<ILogger<AllowListService>>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
