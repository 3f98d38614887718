using Berth.Core.Validation;
using Berth.Core.Terminals;

namespace Berth.Core.Agents;

public enum KernelDesiredState { Running, Terminated }

public enum KernelObservedState { Preparing, Creating, Running, Exited, Failed, Removed }

/// <param name="StorageHost">Storage host holding the folder; the agent maps it to a local directory.</param>
/// <param name="Optional">An auto-mounted dot-folder: when it cannot be mounted the session starts without it, with a warning.</param>
public sealed record KernelMount(string StorageHost, Guid FolderId, string ContainerPath, bool ReadOnly, bool Optional = false);

/// <summary>What the manager wants one container to be. The agent converges Docker to it.</summary>
/// <param name="Command">Empty for interactive sessions (the agent runs a keep-alive); the startup command for batch.</param>
/// <param name="Hostname">main1, sub1, … — the container's hostname, by which the others in its cluster reach it.</param>
/// <param name="Network">The session's own Docker network (all its containers share it; no other session is on it). Null from
/// managers older than per-session networks: the agent then names it from <paramref name="SessionId"/> itself.</param>
/// <param name="WasStarted">The manager already saw this kernel running: a missing container has vanished and must not be recreated.</param>
/// <param name="PublishPorts">The session's app ports in this container: the only ones the manager's app proxy may reach (on the
/// container's network address; nothing is published on the host).</param>
/// <param name="AppToken">The secret the session's own web services (Jupyter) require of every request, given to the container as
/// <c>JUPYTER_TOKEN</c> and <c>BERTH_APP_TOKEN</c>; the app proxy adds it to what it forwards.</param>
public sealed record KernelSpec(
    Guid KernelId, Guid SessionId, string SessionName, Guid OwnerId, string ImageReference, IReadOnlyList<string> Command,
    bool IsBatch, IReadOnlyDictionary<string, string> Environment, double Cpu, long MemoryBytes, long ShmemBytes,
    long PidsLimit, IReadOnlyList<KernelMount> Mounts, KernelDesiredState Desired, bool WasStarted,
    string Hostname = "main1", string? Network = null, int CudaDevices = 0, IReadOnlyList<int>? PublishPorts = null,
    string? AppToken = null);

/// <summary>What the agent saw of one kernel's container.</summary>
/// <param name="Logs">The tail of the container's output, sent once the container has stopped.</param>
public sealed record KernelObservation(
    Guid KernelId, KernelObservedState State, string? ContainerId = null, int? ExitCode = null, [property: FreeText(4096)] string? Reason = null,
    [property: FreeText(KernelObservation.MaxLogTailChars, AnyControl = true)] string? Logs = null, [property: FreeText(4096)] IReadOnlyList<string>? Warnings = null)
{
    /// <summary>An agent sends at most its log tail (1 MiB by default); decoded as text it is at most this many characters.</summary>
    public const int MaxLogTailChars = 4 * 1024 * 1024;
}

/// <param name="Capacity">Resource slots the agent offers (cpu, mem in bytes, cuda.device …).</param>
/// <param name="ControlUrl">Where the manager reaches the agent's control API; null for an in-process agent.</param>
public sealed record AgentHeartbeat(
    string AgentId, string ResourceGroup, string Architecture, string Version, IReadOnlyDictionary<string, decimal> Capacity,
    string? ControlUrl, IReadOnlyList<string> Images);

public sealed record ImageInfo(string Reference, string Id, string Architecture, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Env);

public sealed record ExecOutcome(int ExitCode, string Stdout, string Stderr);

/// <summary>The agent's side of the conversation: it asks what to run and tells what it sees.</summary>
public interface IAgentChannel
{
    Task<IReadOnlyList<KernelSpec>> SyncAsync(AgentHeartbeat heartbeat, CancellationToken ct);
    Task ReportAsync(string agentId, IReadOnlyList<KernelObservation> observations, CancellationToken ct);
    /// <summary>Resource use of the agent's running containers, for the idle checks.</summary>
    Task ReportStatsAsync(string agentId, IReadOnlyList<Contracts.KernelStatsSample> samples, CancellationToken ct);
}

/// <summary>What the manager may ask of an agent directly.</summary>
public interface IAgentControl
{
    string AgentId { get; }
    Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct);
    Task<ExecOutcome> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct);
    Task StreamLogsAsync(string containerId, bool follow, Stream destination, CancellationToken ct);
    /// <summary>
    /// Commits the container's root file system (<c>docker commit</c>; bind mounts such as folders and /home/work are
    /// not part of it) as <c>repository:tag</c> and returns the new image, without the agent's per-container labels.
    /// </summary>
    Task<ImageInfo> CommitAsync(string containerId, string repository, string tag, CancellationToken ct);
    /// <summary>Removes an image from the agent's Docker engine; an image that is absent or in use by a container is left alone.</summary>
    Task RemoveImageAsync(string reference, CancellationToken ct);
    /// <summary>The container's published TCP ports: container port → host endpoint (<c>127.0.0.1:49153</c>) on the agent's host.</summary>
    Task<IReadOnlyDictionary<int, string>> InspectPortsAsync(string containerId, CancellationToken ct);
    /// <summary>
    /// Starts an image service (e.g. Jupyter) in the container as the session user, detached: it returns once the
    /// process is launched, not when it listens. Its output goes to <c>/tmp/berth-service-NAME.log</c> in the
    /// container. Starting a service that already runs is harmless when the service refuses a taken port.
    /// </summary>
    Task StartServiceAsync(string containerId, string name, string command, CancellationToken ct);
    /// <summary>
    /// An interactive shell with a TTY in the container, as the session's user in /home/work: tmux (session <c>main</c>,
    /// shared by every terminal of the session) when the image has it, else bash or sh. Disposing the connection leaves it.
    /// </summary>
    Task<ITerminalConnection> OpenTerminalAsync(string containerId, TerminalRequest request, CancellationToken ct);
    /// <summary>Asks the agent to reconcile now rather than at its next tick.</summary>
    void Nudge();
}

public interface IAgentDirectory
{
    IReadOnlyList<IAgentControl> All { get; }
    IAgentControl? Find(string agentId);
}
