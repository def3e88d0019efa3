using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Gateway.Delivery;

/// <summary>The stores under Storage:Root, shared by `mailgw serve` and the offline verbs (archive, queue).</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddSingleton<StorageLayout>();
        services.AddSingleton<DirectorySync>();
        services.AddSingleton<FileSystemSync>();
        services.AddSingleton<DurableStorage>();
        services.AddSingleton<MaildirStore>();
        services.AddSingleton<ArchiveStore>();
        services.AddSingleton<ArchiveCatalog>();
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<ArchiveRelease>();
        return services;
    }
}
