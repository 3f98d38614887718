using Berth.Core.Accounts;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Scheduling;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Scheduling;

/// <summary>
/// The launcher's sliders: what a user's policy still allows and what a group's agents have free, kept apart
/// (check-presets gives only the smaller of the two), computed from the same <see cref="SchedulingState"/> the scheduler reads.
/// </summary>
public sealed class RemainingResources(BerthDbContext db, IAgentDirectory directory)
{
    public async Task<RemainingResourcesDto> GetAsync(Caller caller, string group, string? ownerEmail, CancellationToken ct)
    {
        var (userId, email) = (caller.UserId, caller.Email);
        if (ownerEmail is not null)
        {
            // For "launch on behalf of": an admin sees the other user's headroom.
            caller.RequireAdmin();
            var normalized = AccountRules.NormalizeEmail(ownerEmail);
            var user = await db.Users.Where(u => u.Email == normalized).Select(u => new { u.Id, u.Email }).FirstOrDefaultAsync(ct)
                       ?? throw Problem.NotFound("user-not-found", $"There is no user with email {normalized}.", "owner").ToException();
            (userId, email) = (user.Id, user.Email);
        }
        var state = await SchedulingState.LoadAsync(db, ct);
        var agents = await db.Agents.Where(a => a.ResourceGroup == group && a.Status == AgentStatus.Alive).ToListAsync(ct);
        var free = agents.Where(a => directory.Find(a.Id) is not null)
            .Select(a => ResourceSlots.Max(ResourceSlots.Zero, SchedulingState.CapacityOf(a) - state.OccupiedByAgent.GetValueOrDefault(a.Id)))
            .ToList();
        var freest = free.OrderByDescending(f => f.CpuCores).ThenByDescending(f => f.MemoryBytes).FirstOrDefault();
        var policy = state.PolicyOf(userId);
        var headroom = policy.MaxTotalSlots is { } max
            ? ResourceSlots.Max(ResourceSlots.Zero, max - state.UsageOf(userId).Occupied).Slots
            : null;
        return new RemainingResourcesDto(group, email, headroom, ResourceSlots.Sum(free).Slots, freest.Slots);
    }
}
