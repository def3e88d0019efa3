using MailGateway.Filters.Antivirus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Filters.Chain;

/// <summary>Registers the chain and the filters that exist so far.</summary>
public static class FilterChainServiceCollectionExtensions
{
    public static IServiceCollection AddFilterChain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FilterOptions>().Bind(configuration.GetSection(FilterOptions.Section));
        services.AddAntivirus(configuration);
        services.AddSingleton<IMessageFilter, AntivirusFilter>();
        services.AddSingleton<FilterChain>();
        return services;
    }
}
