using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Antivirus;

/// <summary>Registers the antivirus stage.</summary>
public static class AntivirusServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AntivirusOptions"/> from the <c>Antivirus</c> section of <paramref name="configuration"/>,
    /// validates it at start, and registers <see cref="AntivirusScanner"/> and <see cref="AntivirusMetrics"/> as
    /// singletons.
    /// </summary>
    public static IServiceCollection AddAntivirus(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AntivirusOptions>()
            .Bind(configuration.GetSection(AntivirusOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AntivirusOptions>, AntivirusOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AntivirusMetrics>();
        services.TryAddSingleton<ClamdSessionPool>();
        services.TryAddSingleton<AntivirusScanner>();
        return services;
    }
}
