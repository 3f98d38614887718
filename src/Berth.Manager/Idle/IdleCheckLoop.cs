using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Idle;
using Berth.Core.Sessions;
using Berth.Manager.Apps;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Berth.Core.Loops;

namespace Berth.Manager.Idle;

/// <summary>
/// Each interval, evaluates the idle checks of every RUNNING session. A session whose check ran out is terminated
/// through the normal path (TERMINATING with the checker's reason; the agent removes the container); one that will
/// be soon is announced once on the event stream (status RUNNING, reason <c>idle-imminent: …</c>).
/// With several managers each runs this loop; the termination step takes the scheduler's advisory lock and re-reads
/// the status, so a session is terminated once, whichever manager gets there first.
/// </summary>
public sealed partial class IdleCheckLoop(
    IServiceScopeFactory scopes, SessionTrafficMeter meter, SessionUtilization utilization, SessionEventHub hub,
    IOptions<IdleCheckOptions> options, TimeProvider clock, ILogger<IdleCheckLoop> log) : BackgroundService
{
    private readonly Dictionary<Guid, string> _announced = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RoundLoop.RunAsync(CheckOnceAsync, ct => Task.Delay(options.Value.Interval, clock, ct), LogFailed, stoppingToken);
    }

    public async Task CheckOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var checks = scope.ServiceProvider.GetRequiredService<IdleChecks>();
        // With the owner: the "terminating soon" event names whose session it is (admins see others' too).
        var running = await db.Sessions.Include(s => s.OwnerUser).Where(s => s.Status == SessionStatus.Running).ToListAsync(ct);
        utilization.RetainOnly(running.Select(s => s.Id).ToHashSet());
        lock (_announced)
            foreach (var gone in _announced.Keys.Where(id => running.All(s => s.Id != id)).ToList()) _announced.Remove(gone);
        if (running.Count == 0) return;

        var configs = await checks.ConfigsAsync(running, ct);
        var ending = new List<(Guid Id, string Reason)>();
        var now = clock.GetUtcNow();
        foreach (var s in running)
        {
            PersistActivity(s);
            var evaluation = checks.Evaluate(s, configs(s));
            if (evaluation.TerminationReason is { } reason) ending.Add((s.Id, reason));
            else Announce(s, evaluation, now);
        }
        await db.SaveChangesAsync(ct);
        foreach (var (id, reason) in ending) await TerminateAsync(id, reason, ct);
    }

    /// <summary>Stores the meter's last traffic when it is well ahead of the stored one (coarsely: other managers need no more).</summary>
    private void PersistActivity(SessionEntity s)
    {
        if (meter.Get(s.Id)?.LastActivity is not { } metered) return;
        var stored = s.LastActivityAt is { } at ? IdleChecks.Utc(at) : DateTimeOffset.MinValue;
        if (metered - stored >= options.Value.ActivityPersistInterval) s.LastActivityAt = metered.UtcDateTime;
    }

    private void Announce(SessionEntity s, IdleEvaluation evaluation, DateTimeOffset now)
    {
        lock (_announced)
        {
            if (evaluation.Imminent is not { } imminent)
            {
                _announced.Remove(s.Id);
                return;
            }
            if (_announced.TryGetValue(s.Id, out var checker) && checker == imminent.Checker) return;
            _announced[s.Id] = imminent.Checker;
        }
        var (name, after) = evaluation.Imminent.Value;
        hub.Publish(s.OwnerUserId, s.OwnerUser?.Role, new SessionEventDto(s.Id, s.Name, SessionStatus.Running.ToWire(),
            SessionReasons.With(IdleCheckers.ImminentReason, $"{IdleCheckers.ReasonOf(name)} in {Math.Ceiling(after.TotalSeconds):0} s"), now, null, s.OwnerUser?.Email));
    }

    private async Task TerminateAsync(Guid id, string reason, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        using var turn = await scope.ServiceProvider.GetRequiredService<SessionWriteGate>().EnterAsync(ct);
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var transitions = scope.ServiceProvider.GetRequiredService<SessionTransitions>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.ProviderName == "postgres")
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({SessionScheduler.AdvisoryLockKey})", ct);
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        // Another manager, the user or the agent may have ended it since the check read it.
        if (session is null || session.Status != SessionStatus.Running || session.IdleExempt) return;
        transitions.Move(session, SessionStatus.Terminating, reason);
        await transitions.SaveAsync(ct);
        await tx.CommitAsync(ct);
        LogTerminated(session.Name, reason);
        if (session.AgentId is not null) scope.ServiceProvider.GetRequiredService<IAgentDirectory>().Find(session.AgentId)?.Nudge();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} terminated by the idle checks: {Reason}.")]
    private partial void LogTerminated(string session, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Idle check round failed; retrying.")]
    private partial void LogFailed(Exception e);
}
