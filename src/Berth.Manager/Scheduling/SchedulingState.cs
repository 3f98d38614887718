using System.Text.Json;
using Berth.Core.Scheduling;
using Berth.Core.Sessions;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Scheduling;

/// <summary>What the scheduler needs to know about users and agents, read in one go from the database.</summary>
public sealed record SchedulingState(
    IReadOnlyDictionary<Guid, UserUsage> Usage, IReadOnlyDictionary<Guid, UserPolicy> Policies,
    IReadOnlyDictionary<string, ResourceSlots> OccupiedByAgent)
{
    // Everything from SCHEDULED until the container is gone holds its slots on the agent.
    public static readonly SessionStatus[] Holding =
        [SessionStatus.Scheduled, SessionStatus.Preparing, SessionStatus.Creating, SessionStatus.Running, SessionStatus.Terminating];

    public static async Task<SchedulingState> LoadAsync(BerthDbContext db, CancellationToken ct)
    {
        var live = await db.Sessions.Where(s => SessionService.LiveStatuses.Contains(s.Status))
            .Select(s => new { s.OwnerUserId, s.Status, s.AgentId, Cpu = s.Cpu * s.ClusterSize, MemoryBytes = s.MemoryBytes * s.ClusterSize, Gpus = s.CudaDevices * s.ClusterSize }).ToListAsync(ct);
        var usage = live.GroupBy(s => s.OwnerUserId).ToDictionary(g => g.Key, g => new UserUsage(
            g.Key,
            g.Count(s => s.Status != SessionStatus.Pending),
            g.Count(s => s.Status == SessionStatus.Pending),
            ResourceSlots.Sum(g.Where(s => Holding.Contains(s.Status)).Select(s => ResourceSlots.ForSession(s.Cpu, s.MemoryBytes, cudaDevices: s.Gpus)))));
        var occupied = live.Where(s => s.AgentId != null && Holding.Contains(s.Status)).GroupBy(s => s.AgentId!)
            .ToDictionary(g => g.Key, g => ResourceSlots.Sum(g.Select(s => ResourceSlots.ForSession(s.Cpu, s.MemoryBytes, cudaDevices: s.Gpus))));

        var policies = await db.ResourcePolicies.ToDictionaryAsync(p => p.Name, ct);
        var users = await db.Users.Select(u => new { u.Id, u.ResourcePolicy }).ToListAsync(ct);
        var byUser = users.ToDictionary(u => u.Id, u => ToPolicy(
            policies.GetValueOrDefault(u.ResourcePolicy ?? ResourcePolicyEntity.DefaultName)));
        return new SchedulingState(usage, byUser, occupied);
    }

    public UserUsage UsageOf(Guid user) => Usage.GetValueOrDefault(user) ?? UserUsage.None(user);
    public UserPolicy PolicyOf(Guid user) => Policies.GetValueOrDefault(user) ?? UserPolicy.Unlimited;

    public static UserPolicy ToPolicy(ResourcePolicyEntity? p) => p is null
        ? UserPolicy.Unlimited
        : new UserPolicy(p.MaxConcurrentSessions,
            p.MaxTotalSlotsJson is null ? null : new ResourceSlots(JsonSerializer.Deserialize<Dictionary<string, decimal>>(p.MaxTotalSlotsJson) ?? []),
            p.MaxPendingSessions, p.MaxContainersPerSession);

    public static ResourceSlots CapacityOf(AgentEntity agent) =>
        new(JsonSerializer.Deserialize<Dictionary<string, decimal>>(agent.CapacityJson) ?? []);
}
