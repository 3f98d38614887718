using Berth.Core.Loops;
using Berth.Core.Problems;
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
                // The storage re-checks the source's allocated size against the quota and the host's free
                // space before it copies: the source may have grown since the request was accepted.
                await storage.CloneFolderAsync(source.Host, source.Id, target.Host, target.Id, target.QuotaBytes, ct);
                target.Status = VFolderStatus.Ready;
                LogCloned(source.Name, target.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                target.Status = VFolderStatus.Error;
                // A refusal (the source outgrew the quota or the host's free space) is the user's to fix, not a fault.
                if (e is BerthProblemException { Problem.Status: < 500 } refused) LogCloneRefused(target.Name, refused.Problem.Detail);
                else LogCloneFailed(e, target.Name);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloning into folder {Target} was refused and it is marked error: {Reason}")]
    private partial void LogCloneRefused(string target, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The clone loop failed; it will try again.")]
    private partial void LogLoopFailed(Exception e);
}
