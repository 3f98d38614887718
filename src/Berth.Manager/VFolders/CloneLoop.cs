using Berth.Core.Loops;
using Berth.Core.VFolders;
using Berth.Manager.Data;
using Berth.Storage.Backend;
using Berth.Storage.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Manager.VFolders;

/// <summary>Wakes the clone loop as soon as a clone is requested instead of waiting for its next poll.</summary>
public sealed class CloneSignal : WakeSignal;

/// <summary>
/// Level-triggered: every folder whose record says <c>cloning</c> gets copied, including ones a crash
/// interrupted — the partial copy is thrown away and the copy starts over, so a restart converges.
/// </summary>
public sealed partial class CloneLoop(IServiceScopeFactory scopes, CloneSignal signal, TimeProvider clock, ILogger<CloneLoop> log) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RoundLoop.RunAsync(RunOnceAsync, ct => signal.WaitAsync(PollInterval, ct), LogLoopFailed, stoppingToken);
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var storage = scope.ServiceProvider.GetRequiredService<IStorageBackend>();
        var pending = await db.VFolders.Where(f => f.Status == VFolderStatus.Cloning).ToListAsync(ct);
        foreach (var target in pending)
        {
            var source = await db.VFolders.AsNoTracking().FirstOrDefaultAsync(f => f.Id == target.CloneSourceId, ct);
            try
            {
                if (source is null) throw new InvalidOperationException("the source folder no longer exists");
                await storage.PurgeFolderAsync(target.Host, target.Id, ct);
                await storage.CloneFolderAsync(source.Host, source.Id, target.Host, target.Id, ct);
                target.Status = VFolderStatus.Ready;
                LogCloned(source.Name, target.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                target.Status = VFolderStatus.Error;
                LogCloneFailed(e, target.Name);
                await storage.PurgeFolderAsync(target.Host, target.Id, CancellationToken.None);
            }
            target.StatusChangedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cloned folder {Source} into {Target}.")]
    private partial void LogCloned(string source, string target);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cloning into folder {Target} failed; it is marked error and its partial data removed.")]
    private partial void LogCloneFailed(Exception e, string target);

    [LoggerMessage(Level = LogLevel.Error, Message = "The clone loop failed; it will try again.")]
    private partial void LogLoopFailed(Exception e);
}
