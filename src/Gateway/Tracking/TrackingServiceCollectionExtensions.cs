using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Message tracking, the archive index and feedback marks in one database: SQLite under Storage:Root by default,
/// PostgreSQL when <c>Tracking:ConnectionString</c> names one. Shared by `mailgw serve` and the offline verbs; only
/// <see cref="AddTrackingWriter"/> (serve) starts the background writer.
/// </summary>
public static class TrackingServiceCollectionExtensions
{
    public const string SqliteFileName = "tracking.db";

    public static IServiceCollection AddTracking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.NodeName))
                {
                    o.NodeName = configuration["Smtp:HostName"] is { Length: > 0 } host ? host : Environment.MachineName;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrackingOptions>, TrackingOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<TrackingMetrics>();
        services.AddSingleton<TrackingRecorder>();
        services.AddSingleton<TrackingDialect>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TrackingOptions>>().Value;
            if (options.IsPostgres)
            {
                return new PostgresDialect(options.ConnectionString);
            }

            return new SqliteDialect(string.IsNullOrWhiteSpace(options.ConnectionString)
                ? $"Data Source={Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.FullRoot, SqliteFileName)}"
                : options.ConnectionString);
        });
        services.AddSingleton<SqlTrackingStore>();
        services.AddSingleton<ITrackingStore>(sp => sp.GetRequiredService<SqlTrackingStore>());
        services.AddSingleton<IArchiveIndex>(sp => sp.GetRequiredService<SqlTrackingStore>());
        services.AddSingleton<ArchiveIndexRebuild>();
        services.AddSingleton<TrackingWriter>();
        return services;
    }

    /// <summary>Starts the background writer (serve only).</summary>
    public static IServiceCollection AddTrackingWriter(this IServiceCollection services) =>
        services.AddHostedService(sp => sp.GetRequiredService<TrackingWriter>());
}
