using Berth.Core.Agents;

namespace Berth.Core.Contracts;

/// <summary>One agent as an admin sees it (<c>GET /api/admin/agents</c>).</summary>
/// <param name="Status">ALIVE or LOST.</param>
/// <param name="Capacity">What the agent declared at its last heartbeat (cpu in cores, mem in bytes, …).</param>
/// <param name="Occupied">What the live sessions placed on the agent hold, in the same slots.</param>
/// <param name="ControlUrl">Where the manager reaches the agent; null for the agent inside <c>berth server</c>.</param>
public sealed record AgentDto(
    string Id, string Status, string ResourceGroup, IReadOnlyDictionary<string, decimal> Capacity,
    IReadOnlyDictionary<string, decimal> Occupied, string Architecture, string Version, DateTimeOffset LastHeartbeatAt,
    string? ControlUrl);

/// <summary>Body of <c>POST /api/agent/v1/report</c>.</summary>
public sealed record AgentReportRequest(string AgentId, IReadOnlyList<KernelObservation> Observations);

/// <summary>Body of <c>POST /agent/v1/exec</c>.</summary>
public sealed record AgentExecRequest(string ContainerId, IReadOnlyList<string> Command);

/// <summary>The manager asks an agent to commit one of its containers as <c>Repository:Tag</c>.</summary>
public sealed record AgentCommitRequest(string ContainerId, string Repository, string Tag);

/// <summary>Starts service <paramref name="Name"/> of a session's container in the background: <paramref name="Command"/> is a shell command line.</summary>
public sealed record AgentStartServiceRequest(string ContainerId, string Name, string Command);
