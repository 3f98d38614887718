using Berth.Core.Sessions;

namespace Berth.Core.Scheduling;

/// <summary>A session waiting in a resource group's queue.</summary>
/// <param name="Requested">Everything the session needs, all its containers together; a session is placed on one agent.</param>
/// <param name="ContainerCount">How many containers the session has (1 for an ordinary session).</param>
/// <param name="StartsAt">A batch session's requested start; it waits until then.</param>
/// <param name="PinnedAgentId">When set, the session may only go to this agent.</param>
/// <param name="Architecture">The CPU architecture its image needs (e.g. <c>x86_64</c>); null when any will do.</param>
public sealed record PendingSession(
    Guid Id, Guid OwnerId, string Name, SessionType Type, ResourceSlots Requested, int ContainerCount,
    DateTimeOffset CreatedAt, DateTimeOffset? StartsAt, string? PinnedAgentId, string? Architecture = null);

/// <param name="Occupied">What the agent's sessions hold now.</param>
/// <param name="Schedulable">Alive and accepting sessions (not LOST, not drained).</param>
public sealed record AgentState(string Id, ResourceSlots Capacity, ResourceSlots Occupied, bool Schedulable, string Architecture)
{
    /// <summary>Capacity − Occupied.</summary>
    public ResourceSlots Free => Capacity - Occupied;
}

/// <summary>What one user holds in the resource group now.</summary>
/// <param name="LiveSessions">Sessions past PENDING and not yet ended.</param>
/// <param name="PendingSessions">Sessions still waiting (the ones being scheduled included).</param>
/// <param name="Occupied">The slots the live sessions hold.</param>
public sealed record UserUsage(Guid OwnerId, int LiveSessions, int PendingSessions, ResourceSlots Occupied)
{
    public static UserUsage None(Guid ownerId) => new(ownerId, 0, 0, ResourceSlots.Zero);
}

/// <summary>
/// A keypair resource policy; null means no limit. <see cref="MaxTotalSlots"/> limits only the slots it names
/// (name a slot with 0 to forbid it), as Backend.AI's default "unlimited for unspecified" does.
/// </summary>
public sealed record UserPolicy(int? MaxConcurrentSessions, ResourceSlots? MaxTotalSlots, int? MaxPendingSessions, int? MaxContainersPerSession)
{
    public static UserPolicy Unlimited { get; } = new(null, null, null, null);
}

/// <summary>A resource group's scheduling options.</summary>
public sealed record GroupRules(QueueOrder Order, AgentSelection Selection, IReadOnlySet<SessionType> AllowedTypes)
{
    public static GroupRules Default { get; } =
        new(QueueOrder.Fifo, AgentSelection.Dispersed, new HashSet<SessionType> { SessionType.Interactive, SessionType.Batch });
}
