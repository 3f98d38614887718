namespace Berth.Core.Contracts;

/// <summary>
/// The caller's use against their resource policy and the free capacity of the groups they may launch in
/// (<c>GET /api/me/usage</c>), for the console's Summary page and <c>berth usage</c>. Slots as elsewhere: cpu in cores, mem in bytes, cuda.device.
/// </summary>
/// <param name="Policy">The policy's name (the default one when none is assigned).</param>
/// <param name="MaxConcurrentSessions">Null: no limit.</param>
/// <param name="LiveSessions">Sessions past PENDING and not yet ended: what <paramref name="MaxConcurrentSessions"/> counts.</param>
/// <param name="MaxTotalSlots">What the policy allows in total; null for no limit, and a slot it does not name is unlimited.</param>
/// <param name="Occupied">The slots the caller's live sessions hold now.</param>
public sealed record MyUsageDto(
    string Email, string Policy, int? MaxConcurrentSessions, int LiveSessions, int? MaxPendingSessions, int PendingSessions,
    IReadOnlyDictionary<string, decimal>? MaxTotalSlots, IReadOnlyDictionary<string, decimal> Occupied,
    IReadOnlyList<GroupCapacityDto> Groups);

/// <summary>One resource group the caller may use: its alive agents' capacity summed, and what of it is free now.</summary>
public sealed record GroupCapacityDto(
    string Name, int AliveAgents, IReadOnlyDictionary<string, decimal> Capacity, IReadOnlyDictionary<string, decimal> Free);
