using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Sessions;

/// <summary>
/// What a session's containers are doing: the kernel list, their output (live from the agent, the stored tail
/// afterwards) and their latest resource use. Reads only; the session is already resolved for the caller.
/// </summary>
public sealed class SessionKernels(BerthDbContext db, IAgentDirectory agents, Idle.SessionUtilization utilization)
{
    public async Task<IReadOnlyList<KernelDto>> ListAsync(SessionEntity session, CancellationToken ct)
    {
        var kernels = await db.Kernels.AsNoTracking().Where(k => k.SessionId == session.Id).ToListAsync(ct);
        return kernels.OrderBy(k => k.Hostname == KernelNames.Main ? 0 : 1).ThenBy(k => k.Hostname.Length).ThenBy(k => k.Hostname, StringComparer.Ordinal)
            .Select(k => new KernelDto(k.Id, k.Hostname, k.AgentId, k.ContainerId, k.Cleaned ? "removed" : k.WasStarted ? "running" : "pending"))
            .ToList();
    }

    /// <summary>Refuses a kernel name the session does not have, before a response starts (a problem, not a broken stream).</summary>
    public static void CheckKernel(SessionEntity session, string? kernel)
    {
        if (KernelNames.Check(kernel, session.Name, session.ClusterSize) is { } problem) throw problem.ToException();
    }

    /// <summary>
    /// Live output from the agent while the container exists; afterwards the tail kept in the database, which is
    /// the main container's only (sub-kernels' output is gone with their containers).
    /// </summary>
    public async Task WriteLogsAsync(SessionEntity session, string? kernel, bool follow, Stream destination, CancellationToken ct)
    {
        CheckKernel(session, kernel);
        var name = kernel ?? KernelNames.Main;
        var entity = await db.Kernels.AsNoTracking().FirstOrDefaultAsync(k => k.SessionId == session.Id && k.Hostname == name, ct);
        var containerId = name == KernelNames.Main ? session.ContainerId : entity?.ContainerId;
        var agentId = entity?.AgentId ?? session.AgentId;
        var agent = agentId is null ? null : agents.Find(agentId);
        if (containerId is not null && agent is not null && SessionLifecycle.IsLive(session.Status) && entity?.Cleaned != true)
        {
            try
            {
                await agent.StreamLogsAsync(containerId, follow, destination, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The container went away between the check and the read: fall through to the stored tail.
                await db.Entry(session).ReloadAsync(ct);
            }
        }
        if (name == KernelNames.Main && session.LogsTail is { Length: > 0 } tail)
            await destination.WriteAsync(System.Text.Encoding.UTF8.GetBytes(tail), ct);
    }

    /// <summary>The newest sample of each kernel, and their sums and means for the session as a whole.</summary>
    public async Task<SessionUsageDto> UsageAsync(SessionEntity session, CancellationToken ct)
    {
        var latest = utilization.Latest(session.Id);
        var names = latest.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Kernels.AsNoTracking().Where(k => k.SessionId == session.Id).ToDictionaryAsync(k => k.Id, k => k.Hostname, ct);
        var kernels = latest
            .Where(l => names.ContainsKey(l.Key))
            .Select(l => new KernelUsageDto(names[l.Key], l.Value.At, l.Value.CpuPercent, l.Value.MemPercent, l.Value.MemBytes,
                l.Value.CudaPercent, l.Value.NetRxBytes, l.Value.NetTxBytes))
            .OrderBy(k => k.Kernel == KernelNames.Main ? 0 : 1).ThenBy(k => k.Kernel, StringComparer.Ordinal)
            .ToList();
        return Summarize(session.Id, kernels);
    }

    public static SessionUsageDto Summarize(Guid sessionId, IReadOnlyList<KernelUsageDto> kernels)
    {
        if (kernels.Count == 0) return new SessionUsageDto(sessionId, null, null, null, null, null, null, null, kernels);
        static long? Sum(IEnumerable<long?> values) => values.All(v => v is null) ? null : values.Sum(v => v ?? 0);
        var gpus = kernels.Where(k => k.GpuPercent is not null).ToList();
        return new SessionUsageDto(sessionId, kernels.Max(k => k.At),
            Math.Round(kernels.Average(k => k.CpuPercent), 2), Math.Round(kernels.Average(k => k.MemPercent), 2),
            Sum(kernels.Select(k => k.MemBytes)), gpus.Count == 0 ? null : Math.Round(gpus.Average(k => k.GpuPercent!.Value), 2),
            Sum(kernels.Select(k => k.NetRxBytes)), Sum(kernels.Select(k => k.NetTxBytes)), kernels);
    }
}
