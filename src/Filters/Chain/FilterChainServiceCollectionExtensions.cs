using MailGateway.Filters.AllowList;
using MailGateway.Filters.Antivirus;
using MailGateway.Filters.Attachments;
using MailGateway.Filters.Bulk;
using MailGateway.Filters.Images;
using MailGateway.Filters.Keywords;
using MailGateway.Filters.Model;
using MailGateway.Filters.Smime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Chain;

/// <summary>Registers the chain and the filters that exist so far.</summary>
public static class FilterChainServiceCollectionExtensions
{
    /// <summary>
    /// Registers the chain and its filters; <paramref name="configDirectory"/> is where relative list paths
    /// (config/keywords.json, config/allowlist.json) are resolved.
    /// </summary>
    public static IServiceCollection AddFilterChain(this IServiceCollection services, IConfiguration configuration,
        string configDirectory)
    {
        services.AddOptions<FilterOptions>().Bind(configuration.GetSection(FilterOptions.Section));
        services.AddSmime(configuration, configDirectory);
        services.AddAttachmentPolicy(configuration);
        services.AddAntivirus(configuration);
        services.AddSingleton<IMessageFilter, AntivirusFilter>();
        services.AddAllowList(configuration, configDirectory);
        services.AddSingleton<IMessageFilter, AllowListFilter>();
        services.AddKeywordList(configuration, configDirectory);
        services.AddSingleton<IMessageFilter, KeywordFilter>();
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.Section));
        services.AddSingleton<SclScorerHost>();
        services.AddSingleton<IMessageFilter, ModelFilter>();
        services.AddOptions<ImageHeuristicOptions>().Bind(configuration.GetSection(ImageHeuristicOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImageHeuristicOptions>, ImageHeuristicOptionsValidator>();
        services.AddSingleton<IMessageFilter, ImageHeuristicFilter>();
        services.AddSingleton<IMessageFilter, BulkFilter>();
        services.AddSingleton<FilterMetrics>();
        services.AddSingleton<FilterChain>();
        return services;
    }
}
