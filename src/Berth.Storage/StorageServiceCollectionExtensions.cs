using Berth.Storage.Backend;
using Berth.Storage.Options;
using Berth.Storage.Tokens;
using Berth.Storage.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> from the <c>Storage</c> section of <paramref name="configuration"/>
    /// (validated on start) and registers <see cref="IStorageBackend"/>, <see cref="StorageTokenService"/>,
    /// <see cref="UploadStore"/> and the staging cleanup.
    /// </summary>
    public static IServiceCollection AddBerthStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageVolumes>();
        services.TryAddSingleton<StorageOwner>();
        services.TryAddSingleton<LocalStorageBackend>();
        services.TryAddSingleton<IStorageBackend>(sp => sp.GetRequiredService<LocalStorageBackend>());
        services.TryAddSingleton(sp => new StorageTokenService(sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IStorageGrantCheck, SignatureOnlyGrantCheck>();
        services.TryAddSingleton<UploadStore>();
        services.TryAddSingleton<UploadCleanupService>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadCleanupService>());
        return services;
    }

    public static IHostApplicationBuilder AddBerthStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBerthStorage(builder.Configuration);
        return builder;
    }
}
