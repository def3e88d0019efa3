using MailGateway.Filters.Chain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Attachments;

/// <summary>Registers the attachment policy stage.</summary>
public static class AttachmentServiceCollectionExtensions
{
    public static IServiceCollection AddAttachmentPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AttachmentOptions>().Bind(configuration.GetSection(AttachmentOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AttachmentOptions>, AttachmentOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<AttachmentMetrics>();
        services.AddSingleton<IMessageFilter, AttachmentFilter>();
        return services;
    }
}
