using Berth.Storage.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Storage.Uploads;

/// <summary>Periodically drops uploads abandoned in staging for longer than <see cref="StorageOptions.StagingMaxAge"/>.</summary>
public sealed class UploadCleanupService(UploadStore store, IOptions<StorageOptions> options, TimeProvider time, ILogger<UploadCleanupService> logger)
    : BackgroundService
{
    /// <summary>One sweep; exposed so tests and operators can run it without waiting for the timer.</summary>
    public int RunOnce()
    {
        var removed = store.RemoveOlderThan(time.GetUtcNow() - options.Value.StagingMaxAge);
        if (removed > 0) logger.LogInformation("Removed {Count} abandoned uploads from staging", removed);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StagingCleanupInterval, time);
        do
        {
            try
            {
                RunOnce();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Staging cleanup failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
