using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Scheduling;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Scheduling;

/// <summary>
/// What a plain user may read about their own standing: their policy's limits beside what their sessions hold, and the
/// free capacity of every group visible to them. Read from the same <see cref="SchedulingState"/> the scheduler uses,
/// so the numbers agree with why a session waits.
/// </summary>
public sealed class MyUsage(BerthDbContext db, IAgentDirectory directory)
{
    public async Task<MyUsageDto> GetAsync(Caller caller, CancellationToken ct)
    {
        var state = await SchedulingState.LoadAsync(db, ct);
        var policy = state.PolicyOf(caller.UserId);
        var usage = state.UsageOf(caller.UserId);
        var policyName = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.ResourcePolicy).FirstOrDefaultAsync(ct)
                         ?? ResourcePolicyEntity.DefaultName;

        // Admins see every group elsewhere; here "may use" is what they could launch in, which for them is every group too.
        var groups = await ResourceGroups.VisibleToAsync(db, caller.UserId, caller.IsAdmin, ct);
        var names = groups.Select(g => g.Name).ToList();
        var agents = await db.Agents.Where(a => names.Contains(a.ResourceGroup) && a.Status == AgentStatus.Alive).ToListAsync(ct);
        var capacities = names.Select(name =>
        {
            // Only agents connected right now take sessions; a row marked alive whose link dropped offers nothing.
            var alive = agents.Where(a => a.ResourceGroup == name && directory.Find(a.Id) is not null).ToList();
            var capacity = ResourceSlots.Sum(alive.Select(SchedulingState.CapacityOf));
            var free = ResourceSlots.Sum(alive.Select(a =>
                ResourceSlots.Max(ResourceSlots.Zero, SchedulingState.CapacityOf(a) - state.OccupiedByAgent.GetValueOrDefault(a.Id))));
            return new GroupCapacityDto(name, alive.Count, capacity.Slots, free.Slots);
        }).ToList();

        return new MyUsageDto(caller.Email, policyName, policy.MaxConcurrentSessions, usage.LiveSessions,
            policy.MaxPendingSessions, usage.PendingSessions, policy.MaxTotalSlots?.Slots, usage.Occupied.Slots, capacities);
    }
}
