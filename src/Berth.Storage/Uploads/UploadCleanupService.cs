using Berth.Storage.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Storage.Uploads;

/// <summary>
/// Periodically drops uploads abandoned in staging for longer than <see cref="StorageOptions.StagingMaxAge"/>
/// and the records of finished ones older than <see cref="StorageOptions.FinishedUploadRetention"/>.
/// </summary>
public sealed partial class UploadCleanupService(UploadStore store, IOptions<StorageOptions> options, TimeProvider time, ILogger<UploadCleanupService> logger)
    : BackgroundService
{
    /// <summary>One sweep; exposed so tests and operators can run it without waiting for the timer.</summary>
    public int RunOnce()
    {
        var o = options.Value;
        var removed = store.Sweep(time.GetUtcNow(), o.StagingMaxAge, o.FinishedUploadRetention);
        if (removed > 0) LogRemoved(removed);
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
                LogSweepFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} abandoned or finished uploads from staging")]
    private partial void LogRemoved(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staging cleanup failed; will retry")]
    private partial void LogSweepFailed(Exception e);
}
