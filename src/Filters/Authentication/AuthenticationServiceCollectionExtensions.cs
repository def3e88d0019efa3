using MailGateway.Filters.Arc;
using MailGateway.Filters.Chain;
using MailGateway.Filters.Dkim;
using MailGateway.Filters.Dmarc;
using MailGateway.Filters.Dns;
using MailGateway.Filters.Spf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Authentication;

/// <summary>
/// Registers the sender-authentication stages (Spf, Dkim, Arc, Dmarc) over the shared <see cref="DnsResolver"/>,
/// which the host registers. Only the gateway calls this: the offline verbs (score, eval) make no DNS lookups.
/// </summary>
public static class AuthenticationServiceCollectionExtensions
{
    public static IServiceCollection AddSenderAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SpfOptions>().Bind(configuration.GetSection(SpfOptions.Section));
        services.AddOptions<DkimOptions>().Bind(configuration.GetSection(DkimOptions.Section));
        services.AddOptions<ArcOptions>().Bind(configuration.GetSection(ArcOptions.Section));
        services.AddOptions<DmarcOptions>().Bind(configuration.GetSection(DmarcOptions.Section));
        services.AddSingleton<IValidateOptions<DkimOptions>, AuthenticationOptionsValidator>();
        services.AddSingleton<IValidateOptions<SpfOptions>, AuthenticationOptionsValidator>();
        services.AddOptions<DkimOptions>().ValidateOnStart();
        services.AddOptions<SpfOptions>().ValidateOnStart();
        services.TryAddSingleton<IDnsResolver>(sp => sp.GetRequiredService<DnsResolver>());
        services.TryAddSingleton<ISenderOrigin, NoSenderOrigin>();
        services.TryAddSingleton<IJunkThreshold>(new FixedJunkThreshold(4));
        services.AddSingleton<AuthenticationMetrics>();
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<DmarcOptions>>().Value.PublicSuffixList;
            var list = PublicSuffixList.Load(path);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PublicSuffixList));
            if (list.Path is null)
            {
                logger.LogWarning("Public suffix list {PublicSuffixList} not found: DMARC takes every TLD as the only public " +
                                  "suffix (install Debian's publicsuffix package or set Dmarc:PublicSuffixList)", path);
            }
            else
            {
                logger.LogInformation("Public suffix list {PublicSuffixList}: {Rules} rules", path, list.Count);
            }

            return list;
        });
        services.AddSingleton<SpfEvaluator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SpfChecksInFlight>();
        services.AddSingleton<IEarlyLookup>(sp => sp.GetRequiredService<SpfChecksInFlight>());
        services.AddSingleton<DnsDkimKeyLocator>();
        services.AddSingleton<DmarcEvaluator>();
        services.AddSingleton<IMessageFilter, SpfFilter>();
        services.AddSingleton<IMessageFilter, DkimFilter>();
        services.AddSingleton<IMessageFilter, ArcFilter>();
        services.AddSingleton<IMessageFilter, DmarcFilter>();
        return services;
    }
}
