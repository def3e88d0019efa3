using MailGateway.Filters.Chain;
using MailGateway.Filters.ConfigFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Smime;

/// <summary>Registers the S/MIME stage and its trust store (read once, at start).</summary>
public static class SmimeServiceCollectionExtensions
{
    public static IServiceCollection AddSmime(this IServiceCollection services, IConfiguration configuration,
        string configDirectory)
    {
        services.AddOptions<SmimeOptions>().Bind(configuration.GetSection(SmimeOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmimeOptions>, SmimeOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<SmimeMetrics>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SmimeOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SmimeTrustStore));
            if (!options.Enabled)
            {
                return SmimeTrustStore.Load(Path.Combine(configDirectory, "does-not-exist"));
            }

            var store = SmimeTrustStore.Load(ConfigFilePath.Resolve(options.TrustStore, configDirectory));
            if (store.Certificates.Count == 0)
            {
                logger.LogWarning("S/MIME trust store {SmimeTrustStore} holds no certificate: every signature will be smime=fail (untrusted)",
                    store.Path);
            }
            else
            {
                logger.LogInformation("S/MIME trust store {SmimeTrustStore}: {Certificates} certificates ({Unreadable} files unreadable)",
                    store.Path, store.Certificates.Count, store.UnreadableFiles);
            }

            return store;
        });
        services.AddSingleton<IMessageFilter, SmimeFilter>();
        return services;
    }
}
