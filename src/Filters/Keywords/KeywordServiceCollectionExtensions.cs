using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Keywords;

/// <summary>Registers the custom keyword list.</summary>
public static class KeywordServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="KeywordOptions"/> from the <c>Keywords</c> section of <paramref name="configuration"/>,
    /// validates it at start, and registers <see cref="KeywordList"/> as a singleton whose relative
    /// <c>Keywords:Path</c> resolves against <paramref name="baseDirectory"/> (the gateway's config folder).
    /// </summary>
    public static IServiceCollection AddKeywordList(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);

        services.AddOptions<KeywordOptions>()
            .Bind(configuration.GetSection(KeywordOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeywordOptions>, KeywordOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new KeywordList(
            provider.GetRequiredService<IOptionsMonitor<KeywordOptions>>(),
            baseDirectory,
            provider.GetRequiredService<ILogger<KeywordList>>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
