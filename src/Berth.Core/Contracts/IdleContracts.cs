namespace Berth.Core.Contracts;

/// <summary>
/// Idle-check settings as admins write them: a resource group's defaults, or a policy's override (a field left
/// null takes the group's value).
/// </summary>
/// <param name="NetworkTimeoutSeconds">Interactive sessions with no user traffic for this long end (<c>idle-timeout</c>); 0 turns the check off.</param>
/// <param name="MaxIdleExtensionSeconds">The longest a user may push the network idle deadline ahead with keep-alive; defaults to the timeout.</param>
/// <param name="Utilization">The utilization check; null leaves it as the group has it.</param>
public sealed record IdleChecksDto(double? NetworkTimeoutSeconds = null, double? MaxIdleExtensionSeconds = null, UtilizationCheckDto? Utilization = null);

/// <param name="Enabled">False turns the check off (e.g. a policy exempting its users from the group's check).</param>
/// <param name="GracePeriodSeconds">No utilization check at all during this long after the session started.</param>
/// <param name="TimeWindowSeconds">Utilization is averaged over this long.</param>
/// <param name="Cpu">Threshold in % of the allocated CPUs; null: CPU is not checked.</param>
/// <param name="Mem">Threshold in % of the memory limit; null: memory is not checked.</param>
/// <param name="Cuda">Threshold in % GPU utilization (sessions with GPUs only); null: not checked.</param>
/// <param name="Operator"><c>and</c> (idle only when every checked resource is below its threshold) or <c>or</c> (idle when any is).</param>
public sealed record UtilizationCheckDto(
    bool? Enabled = null, double? GracePeriodSeconds = null, double? TimeWindowSeconds = null,
    double? Cpu = null, double? Mem = null, double? Cuda = null, string? Operator = null);

/// <summary>One checker's view of a session, as <c>GET /api/sessions/{s}</c> shows it.</summary>
/// <param name="Checker"><c>network-timeout</c>, <c>session-lifetime</c> or <c>utilization</c>.</param>
/// <param name="Enabled">False when the checker is off for this session (not configured, or it does not apply, e.g. network for batch).</param>
/// <param name="RemainingSeconds">Until this checker ends the session (network, lifetime), or until utilization can first judge it (the window filled); 0 when it may end it now.</param>
/// <param name="GraceRemainingSeconds">Utilization only: left of the grace period, during which nothing is checked.</param>
/// <param name="Thresholds">Utilization only: resource (cpu, mem, cuda) → threshold %, for the resources checked for this session.</param>
/// <param name="Averages">Utilization only: resource → average % over the window so far.</param>
/// <param name="Idle">Utilization only: whether the averages count as idle under the operator right now.</param>
/// <param name="ExtendedUntil">Network only: the deadline a keep-alive set, when it is later than the traffic-based one.</param>
/// <param name="Note">Why a checker does not apply, in words.</param>
public sealed record IdleCheckDto(
    string Checker, bool Enabled, double? RemainingSeconds, double? GraceRemainingSeconds = null,
    IReadOnlyDictionary<string, double>? Thresholds = null, IReadOnlyDictionary<string, double>? Averages = null,
    string? Operator = null, bool? Idle = null, bool Exempt = false, DateTimeOffset? ExtendedUntil = null, string? Note = null);

/// <param name="Seconds">How far ahead of now to push the network idle deadline; default the network timeout.</param>
public sealed record KeepAliveRequest(double? Seconds = null);

public sealed record IdleExemptRequest(bool? Exempt);

/// <summary>One container's resource use at one moment, measured by its agent.</summary>
/// <param name="CpuPercent">Of the session's allocated CPUs: 100 = all allocated cores busy.</param>
/// <param name="MemPercent">Of the container's memory limit.</param>
/// <param name="CudaPercent">Mean utilization of the container's GPUs; null without GPUs or nvidia-smi.</param>
/// <param name="MemBytes">Memory in use (page cache not counted), as <paramref name="MemPercent"/> measures it; null from older agents.</param>
/// <param name="NetRxBytes">Bytes the container has received over its network interfaces since it started; null when unknown.</param>
/// <param name="NetTxBytes">Bytes the container has sent since it started; null when unknown.</param>
public sealed record KernelStatsSample(Guid KernelId, Guid SessionId, DateTimeOffset At, double CpuPercent, double MemPercent, double? CudaPercent = null,
    long? MemBytes = null, long? NetRxBytes = null, long? NetTxBytes = null);

/// <summary>Body of <c>POST /api/agent/v1/stats</c>.</summary>
public sealed record AgentStatsRequest(string AgentId, IReadOnlyList<KernelStatsSample> Samples);
