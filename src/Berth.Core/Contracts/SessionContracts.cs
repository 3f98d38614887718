using Berth.Core.Validation;

namespace Berth.Core.Contracts;

public sealed record ServicePortDto(string Name, string Protocol, int ContainerPort);

/// <param name="Name">Catalog name users type, e.g. <c>python</c> or <c>customized-mine</c>.</param>
/// <param name="Reference">The Docker image reference the agent runs, e.g. <c>berth/python:latest</c>.</param>
/// <param name="Owner">Email of the owner for private (customized) images; null for images everyone may use.</param>
public sealed record ImageDto(
    Guid Id, string Name, string Reference, string Architecture, double MinCpu, long MinMemoryBytes,
    long PreferredShmemBytes, IReadOnlyList<ServicePortDto> ServicePorts, IReadOnlyDictionary<string, string> Labels,
    string? Owner, DateTimeOffset RegisteredAt);

/// <param name="Reference">An image already present in the local Docker engine.</param>
/// <param name="Name">Catalog name; defaults to the reference's repository name.</param>
public sealed record ImportImageRequest(string? Reference, string? Name = null);

/// <param name="CudaDevices">Whole NVIDIA GPUs (the <c>cuda.device</c> slot).</param>
public sealed record ResourceRequestDto(double? Cpu = null, long? MemoryBytes = null, long? ShmemBytes = null, int? CudaDevices = null);

/// <param name="Folder">Folder name (or id) the caller can access.</param>
/// <param name="Path">Mount point: null → /home/work/NAME, relative → under /home/work, absolute → as given.</param>
/// <param name="Permission">ro, rw or wd; null → the caller's permission on the folder.</param>
public sealed record MountRequestDto(string? Folder, [property: MaxLength(4096)] string? Path = null, string? Permission = null);

/// <param name="ResourceGroup">Where to run; the caller's default group when null.</param>
/// <param name="Preset">Resource preset to start from; explicit resources override it.</param>
/// <param name="StartsAt">Batch only: never scheduled before this time.</param>
/// <param name="BatchTimeoutSeconds">Batch only: terminated (reason batch-timeout) this long after it starts.</param>
/// <param name="AssignAgent">Admins: pin the session to this agent.</param>
/// <param name="OwnerEmail">Admins: launch on behalf of this user.</param>
/// <param name="PreopenPorts">Container ports to publish as apps (<c>port-N</c>) besides the image's service ports.</param>
public sealed record CreateSessionRequest(
    string? Image, string? Name = null, string? Type = null, [property: FreeText(64 * 1024)] string? StartupCommand = null,
    [property: FreeText(32 * 1024)] IReadOnlyDictionary<string, string>? Environment = null, ResourceRequestDto? Resources = null,
    IReadOnlyList<MountRequestDto>? Mounts = null, string? ResourceGroup = null, string? Preset = null,
    DateTimeOffset? StartsAt = null, double? BatchTimeoutSeconds = null, string? AssignAgent = null, string? OwnerEmail = null,
    int? ClusterSize = null, string? ClusterMode = null, IReadOnlyList<int>? PreopenPorts = null);

public sealed record ResourcesDto(double Cpu, long MemoryBytes, long ShmemBytes, int CudaDevices = 0);

public sealed record SessionMountDto(string Folder, Guid FolderId, string Path, string Permission, bool AutoMount);

public sealed record StatusChangeDto(string Status, string? Reason, DateTimeOffset At);

/// <param name="Result">success or failure once a session has ended with an exit code; null before.</param>
/// <param name="IdleChecks">While RUNNING (single-session reads only): each idle checker's remaining time, thresholds and averages.</param>
/// <param name="Kernels">Single-session reads only: the session's containers (main1, sub1, …), where they run and how far they got.</param>
public sealed record SessionDto(
    Guid Id, string Name, string Owner, string Type, string Image, string Status, string? StatusReason,
    IReadOnlyList<SessionMountDto> Mounts, ResourcesDto Resources, IReadOnlyDictionary<string, string> Environment,
    string? StartupCommand, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? TerminatedAt,
    string? Agent, string? ContainerId, int? ExitCode, string? Result, IReadOnlyList<string> Warnings,
    IReadOnlyList<StatusChangeDto> StatusHistory, string ResourceGroup = "default", DateTimeOffset? StartsAt = null,
    double? BatchTimeoutSeconds = null, int? QueuePosition = null, IReadOnlyList<WaitReasonDto>? WaitReasons = null,
    int ClusterSize = 1, string ClusterMode = "single-node", IReadOnlyList<IdleCheckDto>? IdleChecks = null, bool IdleExempt = false,
    IReadOnlyList<KernelDto>? Kernels = null);

/// <summary>One container of a session.</summary>
/// <param name="Name">main1 for the main container, sub1, sub2 … in a cluster session; also its hostname and the <c>kernel</c> that logs and exec take.</param>
/// <param name="State">pending (not started yet), running (started, not removed) or removed.</param>
public sealed record KernelDto(Guid Id, string Name, string Agent, string? ContainerId, string State);

/// <summary>A running session's latest resource use, as its agents last measured it (every few seconds).</summary>
/// <param name="At">When the newest of the kernels' samples was taken; null when none has been measured yet.</param>
/// <param name="CpuPercent">Mean over the kernels, of each kernel's allocated CPUs: 100 = all allocated cores busy.</param>
/// <param name="MemPercent">Mean over the kernels, of each kernel's memory limit.</param>
/// <param name="MemBytes">Sum over the kernels.</param>
/// <param name="GpuPercent">Mean over the kernels that have GPUs; null without GPUs.</param>
/// <param name="NetRxBytes">Sum over the kernels of the bytes received since each started.</param>
/// <param name="NetTxBytes">Sum over the kernels of the bytes sent since each started.</param>
public sealed record SessionUsageDto(
    Guid SessionId, DateTimeOffset? At, double? CpuPercent, double? MemPercent, long? MemBytes, double? GpuPercent,
    long? NetRxBytes, long? NetTxBytes, IReadOnlyList<KernelUsageDto> Kernels);

/// <summary>One kernel's latest sample (see <see cref="SessionUsageDto"/>).</summary>
public sealed record KernelUsageDto(
    string Kernel, DateTimeOffset At, double CpuPercent, double MemPercent, long? MemBytes, double? GpuPercent, long? NetRxBytes, long? NetTxBytes);

/// <summary>Why a pending session did not start at the last scheduling attempt, in words a user understands.</summary>
public sealed record WaitReasonDto(string Name, string Message, bool Permanent);

/// <param name="Kernel">In a cluster session, which container (main1, sub1, …); main1 when null.</param>
public sealed record ExecRequest([property: FreeText(64 * 1024)] IReadOnlyList<string>? Command, string? Kernel = null);

public sealed record ExecResultDto(int ExitCode, string Stdout, string Stderr);

/// <summary>One lifecycle change, as sent on the server-sent event stream.</summary>
/// <param name="Owner">The owner's email: admins' streams carry other users' sessions too, and the console shows whose they are.
/// Null only from a manager older than this field.</param>
public sealed record SessionEventDto(Guid SessionId, string SessionName, string Status, string? Reason, DateTimeOffset At, int? ExitCode,
    string? Owner = null);

/// <param name="NewName">The session's new name (same rules as at creation, unique among your live sessions).</param>
public sealed record RenameSessionRequest(string? NewName);

/// <param name="ImageName">4–32 of [A-Za-z0-9._-]; the image is launched as <c>customized-IMAGENAME</c>.</param>
public sealed record CommitSessionRequest(string? ImageName);

/// <param name="Url">The web terminal's page for this ticket (<c>/terminal/{Ticket}/</c>), under the address the caller used.</param>
/// <param name="Ticket">Opens this session's terminal, without signing, until <paramref name="ExpiresAt"/>.</param>
public sealed record TerminalTicketDto(string Url, string Ticket, DateTimeOffset ExpiresAt);
