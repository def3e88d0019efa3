using MailGateway.Gateway.Delivery;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Admin;

/// <summary>The admin console: its services (archive deletion and retention, live metrics) and its pages.</summary>
public static class ConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ArchiveOptions>().Bind(configuration.GetSection(ArchiveOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArchiveOptions>, ArchiveOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ArchiveDeletion>();
        services.AddHostedService<ArchiveRetention>();
        services.AddSingleton<LiveMetrics>();
        return services;
    }

    public static void MapConsole(this WebApplication app)
    {
        // Listening before the host starts: the relay queue read back at start is counted.
        app.Services.GetRequiredService<LiveMetrics>();
        DashboardPage.Map(app);
        TrackingPages.Map(app);
        ArchivePages.Map(app);
        ThresholdsPage.Map(app);
    }
}
