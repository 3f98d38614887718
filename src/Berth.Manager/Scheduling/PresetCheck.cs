using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Scheduling;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Scheduling;

/// <summary>`berth resource check-presets`: what the caller could start right now, and which presets fit it.</summary>
public sealed class PresetCheck(BerthDbContext db, ResourceAdminService admin, IAgentDirectory directory)
{
    public async Task<PresetCheckDto> CheckAsync(Caller caller, string group, CancellationToken ct)
    {
        var state = await SchedulingState.LoadAsync(db, ct);
        var agents = await db.Agents.Where(a => a.ResourceGroup == group && a.Status == AgentStatus.Alive).ToListAsync(ct);
        var free = agents.Where(a => directory.Find(a.Id) is not null)
            .Select(a => SchedulingState.CapacityOf(a) - state.OccupiedByAgent.GetValueOrDefault(a.Id))
            .ToList();
        var policy = state.PolicyOf(caller.UserId);
        var headroom = policy.MaxTotalSlots is { } max ? max - state.UsageOf(caller.UserId).Occupied : (ResourceSlots?)null;
        var freest = free.OrderByDescending(f => f.CpuCores).ThenByDescending(f => f.MemoryBytes).FirstOrDefault();
        var remaining = headroom is { } h ? ResourceSlots.Min(h, freest) : freest;
        var presets = await admin.ListPresetsAsync(group, ct);
        var fits = presets.Select(p =>
        {
            var want = ResourceSlots.ForSession(p.Cpu, p.MemoryBytes);
            var room = free.Any(f => want.FitsIn(f)) && (headroom is not { } hr || want.FitsIn(hr));
            return new PresetFitDto(p.Name, p.Cpu, p.MemoryBytes, room);
        }).ToList();
        return new PresetCheckDto(group, remaining.Slots, fits);
    }
}
