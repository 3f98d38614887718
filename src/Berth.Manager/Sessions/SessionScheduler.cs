using Berth.Core.Loops;
using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Scheduling;
using Berth.Core.Sessions;
using Berth.Manager.Data;
using Berth.Manager.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Manager.Sessions;

public sealed class SchedulerSignal : WakeSignal;

/// <summary>
/// Each round, per resource group: orders pending sessions (fifo/lifo/drf), checks each against the
/// policies and the agents' free capacity, places what fits and records for the rest why they wait
/// and where they stand in the queue. It also ends batch sessions past their timeout and pending ones
/// past their group's pending timeout. Over PostgreSQL a round holds an advisory lock, so several
/// managers never place the same session twice or fill an agent beyond its capacity.
/// </summary>
public sealed partial class SessionScheduler(IServiceScopeFactory scopes, SchedulerSignal signal, TimeProvider clock, ILogger<SessionScheduler> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public const long AdvisoryLockKey = 0x4265727468; // "Berth"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RoundLoop.RunAsync(ScheduleOnceAsync, ct => signal.WaitAsync(Interval, ct), LogFailed, stoppingToken);
    }

    public async Task ScheduleOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        using var turn = await scope.ServiceProvider.GetRequiredService<SessionWriteGate>().EnterAsync(ct);
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var transitions = scope.ServiceProvider.GetRequiredService<SessionTransitions>();
        var agents = scope.ServiceProvider.GetRequiredService<IAgentDirectory>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.ProviderName == "postgres")
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);

        var now = clock.GetUtcNow();
        await EndOverdueAsync(db, transitions, now, ct);
        var state = await SchedulingState.LoadAsync(db, ct);
        var pendingAll = await db.Sessions.Where(s => s.Status == SessionStatus.Pending).ToListAsync(ct);
        var placedAgents = new HashSet<string>();
        if (pendingAll.Count > 0)
        {
            var allAgents = await db.Agents.ToListAsync(ct);
            foreach (var group in await db.ResourceGroups.ToListAsync(ct))
            {
                var pending = pendingAll.Where(s => s.ResourceGroup == group.Name).ToList();
                if (pending.Count == 0) continue;
                var states = allAgents.Where(a => a.ResourceGroup == group.Name).Select(a => new AgentState(
                    a.Id, SchedulingState.CapacityOf(a), state.OccupiedByAgent.GetValueOrDefault(a.Id),
                    a.Status == AgentStatus.Alive && agents.Find(a.Id) is not null, a.Architecture)).ToList();
                var rules = new GroupRules(group.Order, group.Selection, AllowedTypes(group));
                var plan = ScheduleRound.Plan(pending.Select(ToPending).ToList(),
                    pending.Select(s => s.OwnerUserId).Distinct().ToDictionary(u => u, state.UsageOf),
                    pending.Select(s => s.OwnerUserId).Distinct().ToDictionary(u => u, state.PolicyOf),
                    rules, states, now, group.LastRoundRobinAgentId);
                Apply(db, transitions, pending, plan, placedAgents);
                group.LastRoundRobinAgentId = plan.LastRoundRobinAgentId;
            }
        }
        await transitions.SaveAsync(ct);
        await tx.CommitAsync(ct);
        foreach (var id in placedAgents) agents.Find(id)?.Nudge();
    }

    private static void Apply(BerthDbContext db, SessionTransitions transitions, List<SessionEntity> pending, RoundPlan plan, HashSet<string> placedAgents)
    {
        var byId = pending.ToDictionary(s => s.Id);
        foreach (var placement in plan.Placements)
        {
            var session = byId[placement.SessionId];
            session.AgentId = placement.AgentId;
            session.QueuePosition = null;
            session.WaitReasonsJson = null;
            for (var i = 0; i < session.ClusterSize; i++)
                db.Kernels.Add(new KernelEntity { Id = Guid.NewGuid(), SessionId = session.Id, AgentId = placement.AgentId, Hostname = i == 0 ? "main1" : $"sub{i}" });
            transitions.Move(session, SessionStatus.Scheduled, SessionReasons.Scheduled);
            placedAgents.Add(placement.AgentId);
        }
        foreach (var waiting in plan.Waiting)
        {
            var session = byId[waiting.SessionId];
            session.QueuePosition = waiting.QueuePosition;
            session.WaitReasonsJson = JsonSerializer.Serialize(waiting.Reasons.Select(r => new WaitReasonDto(r.Name, r.Message, r.Permanent)));
        }
    }

    /// <summary>Batch sessions past their timeout and sessions pending past their group's limit.</summary>
    private static async Task EndOverdueAsync(BerthDbContext db, SessionTransitions transitions, DateTimeOffset now, CancellationToken ct)
    {
        var nowUtc = now.UtcDateTime;
        var batches = await db.Sessions.Where(s => s.Status == SessionStatus.Running && s.BatchTimeoutSeconds != null && s.StartedAt != null).ToListAsync(ct);
        foreach (var s in batches.Where(s => s.StartedAt!.Value.AddSeconds(s.BatchTimeoutSeconds!.Value) <= nowUtc))
            transitions.Move(s, SessionStatus.Terminating, "batch-timeout");

        var timeouts = await db.ResourceGroups.Where(g => g.PendingTimeoutSeconds != null).ToDictionaryAsync(g => g.Name, g => g.PendingTimeoutSeconds!.Value, ct);
        if (timeouts.Count == 0) return;
        var pending = await db.Sessions.Where(s => s.Status == SessionStatus.Pending).ToListAsync(ct);
        foreach (var s in pending)
            if (timeouts.TryGetValue(s.ResourceGroup, out var limit) && s.CreatedAt.AddSeconds(limit) <= nowUtc)
                transitions.Move(s, SessionStatus.Cancelled, SessionReasons.With("pending-timeout", $"still waiting after {limit:0} s"));
    }

    private static IReadOnlySet<SessionType> AllowedTypes(ResourceGroupEntity g)
    {
        var set = new HashSet<SessionType>();
        if (g.AllowInteractive) set.Add(SessionType.Interactive);
        if (g.AllowBatch) set.Add(SessionType.Batch);
        return set;
    }

    private static PendingSession ToPending(SessionEntity s) => new(
        // A cluster's containers share one agent (single-node), so it asks for all of them at once.
        s.Id, s.OwnerUserId, s.Name, s.Type, ResourceSlots.ForSession(s.Cpu * s.ClusterSize, s.MemoryBytes * s.ClusterSize, cudaDevices: s.CudaDevices * s.ClusterSize), s.ClusterSize,
        new DateTimeOffset(DateTime.SpecifyKind(s.CreatedAt, DateTimeKind.Utc)),
        s.StartsAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null, s.PinnedAgentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling round failed; retrying.")]
    private partial void LogFailed(Exception e);
}
