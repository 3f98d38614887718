using Berth.Core.Scheduling;

namespace Berth.Manager.Data;

public enum AgentStatus { Alive, Lost }

/// <summary>A node's agent as the manager knows it: what it declared at its last heartbeat.</summary>
public sealed class AgentEntity
{
    public required string Id { get; set; }
    public string ResourceGroup { get; set; } = ResourceGroupEntity.DefaultName;
    /// <summary>Where the manager reaches the agent's control API; null for the in-process agent.</summary>
    public string? ControlUrl { get; set; }
    public string Architecture { get; set; } = "x86_64";
    public string Version { get; set; } = "";
    /// <summary>Declared capacity, as <see cref="ResourceSlots"/> JSON (slot → amount).</summary>
    public string CapacityJson { get; set; } = "{}";
    public string ImagesJson { get; set; } = "[]";
    public AgentStatus Status { get; set; }
    public DateTime RegisteredAt { get; set; }
    public DateTime LastHeartbeatAt { get; set; }
}

/// <summary>Backend.AI's scaling group: a set of agents, who may use them, and how sessions are queued and placed.</summary>
public sealed class ResourceGroupEntity
{
    public const string DefaultName = "default";

    public required string Name { get; set; }
    public string? Description { get; set; }
    public QueueOrder Order { get; set; }
    public AgentSelection Selection { get; set; }
    public bool AllowInteractive { get; set; } = true;
    public bool AllowBatch { get; set; } = true;
    /// <summary>A session still pending after this long is cancelled (null: waits forever).</summary>
    public double? PendingTimeoutSeconds { get; set; }
    /// <summary>When true every user may use the group; otherwise only those granted.</summary>
    public bool IsPublic { get; set; }
    public string? LastRoundRobinAgentId { get; set; }
    /// <summary>Idle-check defaults of the group's sessions (<c>IdleChecksDto</c> JSON); null: none.</summary>
    public string? IdleChecksJson { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Gives a user, or every member of a project, the use of a resource group.</summary>
public sealed class ResourceGroupGrantEntity
{
    public long Id { get; set; }
    public required string ResourceGroup { get; set; }
    public Guid? UserId { get; set; }
    public Guid? ProjectId { get; set; }
}

public sealed class ResourcePresetEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Null for a preset offered in every group.</summary>
    public string? ResourceGroup { get; set; }
    public string SlotsJson { get; set; } = "{}";
    public long? ShmemBytes { get; set; }
}

/// <summary>Limits assigned to users (Backend.AI's keypair resource policy). Null fields mean no limit.</summary>
public sealed class ResourcePolicyEntity
{
    public const string DefaultName = "default";

    public required string Name { get; set; }
    public int? MaxConcurrentSessions { get; set; }
    public string? MaxTotalSlotsJson { get; set; }
    public int? MaxPendingSessions { get; set; }
    public int? MaxContainersPerSession { get; set; }
    public double? MaxSessionLifetimeSeconds { get; set; }
    public int? MaxCustomizedImages { get; set; }
    /// <summary>Overrides of the resource group's idle-check defaults (<c>IdleChecksDto</c> JSON); null: none.</summary>
    public string? IdleChecksJson { get; set; }
    public DateTime CreatedAt { get; set; }
}
