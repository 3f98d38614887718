using Berth.Core.Validation;

namespace Berth.Core.Contracts;

/// <param name="Scheduler">Queue order: fifo, lifo or drf.</param>
/// <param name="AgentSelection">dispersed, concentrated or roundrobin.</param>
/// <param name="AllowedSessionTypes">interactive and/or batch.</param>
public sealed record ResourceGroupDto(
    string Name, string? Description, string Scheduler, string AgentSelection, IReadOnlyList<string> AllowedSessionTypes,
    double? PendingTimeoutSeconds, bool IsPublic, IReadOnlyList<string> Users, IReadOnlyList<string> Projects,
    IdleChecksDto? IdleChecks = null);

public sealed record SaveResourceGroupRequest(
    string? Name, [property: FreeText(4096)] string? Description = null, string? Scheduler = null, string? AgentSelection = null,
    IReadOnlyList<string>? AllowedSessionTypes = null, double? PendingTimeoutSeconds = null, bool? IsPublic = null,
    IdleChecksDto? IdleChecks = null);

/// <summary>Give a user (by email) or a project (by name) the use of a resource group.</summary>
public sealed record ResourceGroupGrantRequest(string? Email = null, string? Project = null);

/// <param name="ResourceGroup">Null for a preset offered in every group.</param>
public sealed record ResourcePresetDto(string Name, string? ResourceGroup, double Cpu, long MemoryBytes, long? ShmemBytes);

public sealed record SaveResourcePresetRequest(string? Name, string? ResourceGroup = null, double? Cpu = null, long? MemoryBytes = null, long? ShmemBytes = null);

/// <param name="Remaining">What the caller could still start now in the group: the smaller of policy headroom and the freest agent.</param>
public sealed record PresetCheckDto(string ResourceGroup, IReadOnlyDictionary<string, decimal> Remaining, IReadOnlyList<PresetFitDto> Presets);

public sealed record PresetFitDto(string Name, double Cpu, long MemoryBytes, bool FitsNow);

/// <param name="MaxTotalSlots">e.g. <c>cpu=8 mem=32g</c>; null for no limit.</param>
/// <param name="MaxSessionLifetimeSeconds">Sessions end (reason <c>idle-session-lifetime</c>) this long after they started running.</param>
/// <param name="IdleChecks">Overrides of the resource groups' idle-check defaults for the policy's users.</param>
public sealed record ResourcePolicyDto(
    string Name, int? MaxConcurrentSessions, string? MaxTotalSlots, int? MaxPendingSessions, int? MaxContainersPerSession,
    double? MaxSessionLifetimeSeconds, int? MaxCustomizedImages, IdleChecksDto? IdleChecks = null);

public sealed record AssignPolicyRequest(string? Policy);

/// <summary>What is left to launch with in one resource group (<c>GET /api/resource/remaining</c>), in slots (cpu in cores, mem in bytes, cuda.device).</summary>
/// <param name="Email">Whose remaining resources: the caller's, or (admins) the user asked for.</param>
/// <param name="User">What the user's resource policy still allows (its total slots less what their sessions hold); null when the policy sets no total.</param>
/// <param name="Group">Free slots summed over the group's alive agents.</param>
/// <param name="LargestAgent">The freest alive agent's free slots: the most one session can be given right now.</param>
public sealed record RemainingResourcesDto(
    string ResourceGroup, string Email, IReadOnlyDictionary<string, decimal>? User, IReadOnlyDictionary<string, decimal> Group,
    IReadOnlyDictionary<string, decimal> LargestAgent);
