using System.Globalization;
using MailGateway.Filters.AllowList;
using MailGateway.Filters.Attachments;
using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using MailGateway.Filters.ConfigFiles;
using MailGateway.Filters.Dns;
using MailGateway.Filters.Keywords;
using MailGateway.Filters.Model;
using MailGateway.Filters.Smime;
using MailGateway.Gateway.Admin;
using MailGateway.Gateway.Cleanup;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using MailGateway.Gateway.Delivery.Relay;
using MailGateway.Gateway.Dnsbl;
using MailGateway.Gateway.Logging;
using MailGateway.Gateway.Recipients;
using MailGateway.Gateway.Routing;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Smtp.Commands;
using MailGateway.Gateway.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Serilog;
using Serilog.Configuration;

namespace MailGateway.Gateway.Hosting;

/// <summary>Wires the gateway: configuration, logging, options, the SMTP listener and the admin port.</summary>
public static class GatewayHost
{
    /// <param name="args">the command line: <c>--Section:Key=value</c> settings over appsettings.json.</param>
    /// <param name="replaceServices">
    /// runs after every registration, before the container is built; tests use it to put a fake in place of one
    /// service (the program itself passes nothing).
    /// </param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigurationSources.Apply(builder.Configuration, args);

        builder.Services.AddSerilog((_, lc) => lc
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Sink(BatchedConsoleSink.ForStandardOutput(), new BatchingOptions
            {
                BatchSizeLimit = 1000,
                BufferingTimeLimit = BatchedConsoleSink.BufferingTimeLimit,
                EagerlyEmitFirstEvent = true,
            }));

        AddOptions(builder.Services, builder.Configuration);
        AddSmtp(builder.Services, builder.Configuration);
        builder.Services.AddFilterChain(builder.Configuration, ConfigurationSources.ConfigDirectory());
        var thresholds = ConfigurationSources.ThresholdsPath(builder.Configuration);
        builder.Services.AddSingleton(sp => new SclRouter(thresholds, sp.GetRequiredService<ILogger<SclRouter>>()));
        builder.Services.AddSingleton<IJunkThreshold>(sp => sp.GetRequiredService<SclRouter>());
        builder.Services.AddSingleton<ISenderOrigin, SmtpSenderOrigin>();
        builder.Services.AddSenderAuthentication(builder.Configuration);

        var admin = builder.Configuration.GetSection(AdminOptions.Section).Get<AdminOptions>() ?? new AdminOptions();
        builder.WebHost.UseUrls(admin.Url);
        var grace = builder.Configuration.GetValue("Smtp:ShutdownGraceSeconds", 20);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(grace + 10));

        // Anti-forgery tokens for the archive pages' forms, under keys that live as long as the process: none on disk,
        // and a restart only means reloading the page.
        builder.Services.AddSingleton<IDataProtectionProvider, EphemeralDataProtectionProvider>();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "mailgw-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__antiforgery";
            o.SuppressXFrameOptionsHeader = true; // AdminRequestGuard sends DENY on every response
        });
        builder.Services.AddSingleton<AdminBindings>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AdminBindings>());
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<SmtpMetrics>();
        builder.Services.AddSingleton<ReadinessChecks>();
        builder.Services.AddConsole(builder.Configuration);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(SmtpMetrics.MeterName, GatewayMetrics.MeterName, FilterMetrics.MeterName, "MailGateway.Antivirus", "MailGateway.Relay",
                StorageMetrics.MeterName, CleanupMetrics.MeterName, DnsMetrics.MeterName, DnsblMetrics.MeterName,
                RecipientMetrics.MeterName, AuthenticationMetrics.MeterName,
                AttachmentMetrics.MeterName, SmimeMetrics.MeterName, TrackingMetrics.MeterName)
            .AddPrometheusExporter());

        replaceServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseMiddleware<AdminRequestGuard>();
        if (!string.IsNullOrWhiteSpace(admin.Token))
        {
            app.UseMiddleware<AdminTokenMiddleware>(admin.Token);
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        // Thresholds are checked at start like every other setting (a bad file stops the gateway).
        app.Services.GetRequiredService<SclRouter>();
        app.Services.GetRequiredService<FilterChain>();
        app.Services.GetRequiredService<KeywordList>();
        app.Services.GetRequiredService<AllowListService>();
        app.Services.GetRequiredService<SclScorerHost>();
        HealthEndpoints.Map(app);
        app.MapConsole();
        return app;
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section))
            .PostConfigure(o =>
            {
                // An array bound from configuration replaces the default only when the key is present.
                if (o.AcceptedDomains.Count == 0 && !configuration.GetSection("Smtp:AcceptedDomains").Exists())
                {
                    o.AcceptedDomains.Add("example.org");
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddOptions<CleanupOptions>().Bind(configuration.GetSection(CleanupOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CleanupOptions>, CleanupOptionsValidator>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section));
        services.AddOptions<RelayOptions>().Bind(configuration.GetSection(RelayOptions.Section))
            .PostConfigure(o =>
            {
                if (o.RetrySchedule.Count == 0 && !configuration.GetSection("Relay:RetrySchedule").Exists())
                {
                    o.RetrySchedule.AddRange(RelayOptions.DefaultRetrySchedule);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
    }

    /// <summary>
    /// The checks at RCPT, in this order: the relay rule (no lookup), the block list, the DNS lists (one lookup per
    /// list, cached), then recipient verification (a list, or a callout to the next hop).
    /// </summary>
    private static void AddRecipientPolicies(IServiceCollection services, IConfiguration configuration, bool relay)
    {
        services.AddSingleton<RelayPolicy>();
        services.AddSingleton<IRecipientPolicy>(sp => sp.GetRequiredService<RelayPolicy>());
        services.AddSingleton<IRecipientPolicy, BlockListRecipientPolicy>();

        services.AddOptions<DnsOptions>().Bind(configuration.GetSection(DnsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>();
        services.AddSingleton<DnsMetrics>();
        services.AddSingleton<DnsResolver>();
        services.AddOptions<DnsblOptions>().Bind(configuration.GetSection(DnsblOptions.Section))
            .PostConfigure(o => configuration.GetSection(DnsblOptions.AllowSection + ":Zones").Bind(o.AllowZones))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DnsblOptions>, DnsblOptionsValidator>();
        services.AddSingleton<DnsblMetrics>();
        services.AddSingleton<DnsListLookup>();
        services.AddSingleton<IRecipientPolicy, DnsblRecipientPolicy>();
        services.AddSingleton<IMessageFilter, DnsblFilter>();

        services.AddOptions<RecipientOptions>().Bind(configuration.GetSection(RecipientOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecipientOptions>, RecipientOptionsValidator>();
        services.AddSingleton<RecipientMetrics>();
        var recipients = configuration.GetSection(RecipientOptions.Section).Get<RecipientOptions>() ?? new RecipientOptions();
        switch (recipients.EffectiveVerify(relay))
        {
            case RecipientVerifyMode.List:
                var path = ConfigFilePath.Resolve(recipients.ListPath, ConfigurationSources.ConfigDirectory());
                services.AddSingleton<IRecipientPolicy>(sp => new RecipientListPolicy(path,
                    sp.GetRequiredService<RelayPolicy>(), sp.GetRequiredService<RecipientMetrics>(),
                    sp.GetRequiredService<ILogger<RecipientListPolicy>>()));
                break;
            case RecipientVerifyMode.Callout when relay:
                services.TryAddSingleton(TimeProvider.System);
                services.AddSingleton<IRecipientPolicy, RecipientCalloutPolicy>();
                break;
        }
    }

    private static void AddSmtp(IServiceCollection services, IConfiguration configuration)
    {
        var relay = configuration.GetValue("Delivery:Mode", DeliveryMode.Maildir) == DeliveryMode.Relay;
        services.AddStorage();
        services.AddTracking(configuration);
        services.AddSingleton<MessageTracking>();
        if (relay)
        {
            services.AddSingleton<RelayQueue>();
            services.AddSingleton<RelayRoutes>();
            services.AddSingleton<RelayMetrics>();
            services.AddSingleton<RelayScheduler>();
            services.AddSingleton<RelayBouncer>();
            services.AddSingleton<RelayDeliveryAgent>();
            services.AddSingleton<RelayRecovery>();
            services.AddSingleton<RelayWorker>();
            services.AddSingleton<IMailboxDelivery, RelayMailboxDelivery>();
        }
        else
        {
            services.AddSingleton<IMailboxDelivery, MaildirMailboxDelivery>();
        }

        services.AddSingleton<DispositionRouter>();
        services.AddSingleton<DispositionStore>();
        services.AddSingleton<IMessageProcessor, DeliveryProcessor>();
        AddRecipientPolicies(services, configuration, relay);
        services.AddSingleton<CleanupMetrics>();
        services.AddSingleton<MessageCleanup>();
        services.AddSingleton<TlsCertificateProvider>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<SmtpSessionServices>();
        services.AddSingleton<SmtpCommandSet>();
        foreach (var type in typeof(EhloCommand).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISmtpCommand).IsAssignableFrom(t)))
        {
            services.AddSingleton(typeof(ISmtpCommand), type);
        }

        // Order matters: storage is cleaned and the relay queue read back before the listener accepts anything.
        services.AddHostedService<StorageJanitor>();
        services.AddTrackingWriter();
        if (relay)
        {
            services.AddHostedService(sp => sp.GetRequiredService<RelayWorker>());
        }

        services.AddSingleton<SmtpListener>();
        services.AddHostedService(sp => sp.GetRequiredService<SmtpListener>());
    }
}
