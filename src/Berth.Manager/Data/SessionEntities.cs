using Berth.Core.Sessions;

namespace Berth.Manager.Data;

public sealed class ImageEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Reference { get; set; }
    public required string Architecture { get; set; }
    public double MinCpu { get; set; }
    public long MinMemoryBytes { get; set; }
    public long PreferredShmemBytes { get; set; }
    public string ServicePortsJson { get; set; } = "[]";
    public string LabelsJson { get; set; } = "{}";
    /// <summary>Null: everyone may use it. Set: a customized image only its owner sees.</summary>
    public Guid? OwnerUserId { get; set; }
    public UserEntity? OwnerUser { get; set; }
    public DateTime RegisteredAt { get; set; }
}

public sealed class SessionEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Guid OwnerUserId { get; set; }
    public UserEntity? OwnerUser { get; set; }
    public SessionType Type { get; set; }
    public Guid ImageId { get; set; }
    public required string ImageName { get; set; }
    public required string ImageReference { get; set; }
    public SessionStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public string? StartupCommand { get; set; }
    public string EnvironmentJson { get; set; } = "{}";
    public double Cpu { get; set; }
    public long MemoryBytes { get; set; }
    public long ShmemBytes { get; set; }
    /// <summary>Whole GPUs per container; the agent picks which.</summary>
    public int CudaDevices { get; set; }
    /// <summary>The resolved mounts (<c>ResolvedMount</c>s) as JSON; folder ids also feed the "folder in use" check.</summary>
    public string MountsJson { get; set; } = "[]";
    public string WarningsJson { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? TerminatedAt { get; set; }
    public string? AgentId { get; set; }
    public string? ContainerId { get; set; }
    public int? ExitCode { get; set; }
    public string ResourceGroup { get; set; } = ResourceGroupEntity.DefaultName;
    /// <summary>Batch sessions are never scheduled before this time.</summary>
    public DateTime? StartsAt { get; set; }
    /// <summary>A batch session still running this long after it started is terminated.</summary>
    public double? BatchTimeoutSeconds { get; set; }
    /// <summary>An admin may pin a session to one agent.</summary>
    public string? PinnedAgentId { get; set; }
    public int ClusterSize { get; set; } = 1;
    public string ClusterMode { get; set; } = "single-node";
    /// <summary>Why the session still waits, per the last scheduling attempt (JSON list of {name, message}).</summary>
    public string? WaitReasonsJson { get; set; }
    public int? QueuePosition { get; set; }
    /// <summary>The end of the container's output, kept after the container is gone (capped).</summary>
    public string? LogsTail { get; set; }
    /// <summary>The session's apps (<c>AppDto</c>s as JSON): the image's service ports and the preopen ports, fixed at create.</summary>
    public string AppsJson { get; set; } = "[]";
    /// <summary>An admin exempted the session from every idle check.</summary>
    public bool IdleExempt { get; set; }
    /// <summary>The network idle deadline the owner's keep-alive set.</summary>
    public DateTime? IdleExtendedUntil { get; set; }
    /// <summary>
    /// The last user↔session traffic, written now and then by the idle-check loop from its manager's traffic meter,
    /// so that every manager's loop sees traffic that went through another.
    /// </summary>
    public DateTime? LastActivityAt { get; set; }
    public List<SessionStatusChangeEntity> History { get; set; } = [];
    public List<KernelEntity> Kernels { get; set; } = [];
}

public sealed class SessionStatusChangeEntity
{
    public long Id { get; set; }
    public Guid SessionId { get; set; }
    public SessionStatus Status { get; set; }
    public string? Reason { get; set; }
    public DateTime At { get; set; }
}

/// <summary>One container of a session on one agent. <see cref="Cleaned"/> once the agent confirmed its removal.</summary>
public sealed class KernelEntity
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public SessionEntity? Session { get; set; }
    public required string AgentId { get; set; }
    /// <summary>main1, sub1, sub2 … in a cluster session; also the container's hostname.</summary>
    public string Hostname { get; set; } = "main1";
    public string? ContainerId { get; set; }
    public bool WasStarted { get; set; }
    public bool Cleaned { get; set; }
}
