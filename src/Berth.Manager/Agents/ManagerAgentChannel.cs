using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Sessions;
using Berth.Core.VFolders;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Manager.Agents;

/// <summary>
/// The manager's end of the agent conversation: publishes each agent's desired kernels and turns what
/// agents observe into session status changes. The agent inside `berth server` calls it directly; agents on
/// other nodes call it through <c>/api/agent/v1</c> (<see cref="Http.AgentEndpoints"/>).
/// </summary>
public sealed class ManagerAgentChannel(IServiceScopeFactory scopes, AgentDirectory directory, Idle.SessionUtilization utilization,
    Apps.AppTokens appTokens, SchedulerSignal scheduler) : IAgentChannel
{
    /// <summary>Kept in this manager's memory only (the idle-check loop reads them); nothing is written to the database.</summary>
    public Task ReportStatsAsync(string agentId, IReadOnlyList<Core.Contracts.KernelStatsSample> samples, CancellationToken ct)
    {
        foreach (var s in samples) utilization.Record(s);
        return Task.CompletedTask;
    }

    private static readonly SessionStatus[] WantsRunning =
        [SessionStatus.Scheduled, SessionStatus.Preparing, SessionStatus.Creating, SessionStatus.Running];

    /// <summary>The longest a sync waits for the catalog to learn the base images a joining node brought.</summary>
    public static readonly TimeSpan BuiltinRegistrationTimeout = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<KernelSpec>> SyncAsync(AgentHeartbeat heartbeat, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var (arrived, offerChanged) = await RecordHeartbeatAsync(db, heartbeat, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        directory.Seen(heartbeat.AgentId, heartbeat.ControlUrl);
        // New capacity (an agent joins, comes back, grows or moves group) may let pending sessions go: place them now
        // rather than at the next timed round, up to a second later.
        if (arrived || offerChanged) scheduler.Wake();
        if (arrived) await RegisterBuiltinImagesAsync(scope.ServiceProvider, heartbeat, ct);
        var kernels = await db.Kernels.AsNoTracking().Include(k => k.Session)
            .Where(k => k.AgentId == heartbeat.AgentId && !k.Cleaned).ToListAsync(ct);
        return kernels.Select(k => ToSpec(k, k.Session!)).ToList();
    }

    /// <summary>
    /// A node that joins (or comes back) may bring Berth's base images, e.g. to a server that runs no agent
    /// of its own: put them in the catalog then, as the server does at start. Only that node is asked, only
    /// about base images its heartbeat lists, and never for longer than <see cref="BuiltinRegistrationTimeout"/>:
    /// the sync is the agent's heartbeat, and one that waited on other agents' control calls (formerly every
    /// agent, 15 s per call and image) could outlast the agent's patience and make it LOST. A node without a
    /// control URL cannot be asked at all.
    /// </summary>
    private async Task RegisterBuiltinImagesAsync(IServiceProvider services, AgentHeartbeat heartbeat, CancellationToken ct)
    {
        if (directory.Find(heartbeat.AgentId) is not { } control) return;
        var builtins = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Accounts.ManagerOptions>>().Value.BuiltinImages
            .Where(b => heartbeat.Images.Contains(b.Value, StringComparer.Ordinal)).ToDictionary();
        if (builtins.Count == 0) return;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(BuiltinRegistrationTimeout);
        try
        {
            await services.GetRequiredService<ImageCatalog>().RegisterBuiltinsAsync(builtins, [control], deadline.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not worth failing the agent's sync over: an admin can still `berth image import`.
        }
    }

    /// <summary>
    /// Each sync is also the agent's heartbeat: it registers the agent the first time and keeps it alive. Arrived: the
    /// agent is new or back from LOST; offer changed: it now declares another capacity, group or control URL.
    /// </summary>
    private static async Task<(bool Arrived, bool OfferChanged)> RecordHeartbeatAsync(BerthDbContext db, AgentHeartbeat hb, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == hb.AgentId, ct);
        var arrived = agent is null || agent.Status == AgentStatus.Lost;
        var capacityJson = JsonSerializer.Serialize(hb.Capacity);
        var offerChanged = agent is not null && (agent.CapacityJson != capacityJson || agent.ResourceGroup != hb.ResourceGroup || agent.ControlUrl != hb.ControlUrl);
        if (agent is null)
        {
            agent = new AgentEntity { Id = hb.AgentId, RegisteredAt = now };
            db.Agents.Add(agent);
        }
        agent.ResourceGroup = hb.ResourceGroup;
        agent.Architecture = hb.Architecture;
        agent.Version = hb.Version;
        agent.CapacityJson = capacityJson;
        agent.ControlUrl = hb.ControlUrl;
        agent.ImagesJson = JsonSerializer.Serialize(hb.Images);
        agent.Status = AgentStatus.Alive;
        agent.LastHeartbeatAt = now;
        await db.SaveChangesAsync(ct);
        return (arrived, offerChanged);
    }

    private KernelSpec ToSpec(KernelEntity kernel, SessionEntity s)
    {
        var mounts = JsonSerializer.Deserialize<List<ResolvedMount>>(s.MountsJson) ?? [];
        var isMain = kernel.Hostname == "main1";
        var env = JsonSerializer.Deserialize<Dictionary<string, string>>(s.EnvironmentJson) ?? [];
        if (s.ClusterSize > 1)
        {
            env["BERTH_CLUSTER_ROLE"] = isMain ? "main" : "sub";
            env["BERTH_CLUSTER_HOST"] = kernel.Hostname;
        }
        return new KernelSpec(
            kernel.Id, s.Id, s.Name, s.OwnerUserId, s.ImageReference,
            // A batch cluster's work starts on main1; the others wait to be used by it.
            s.Type == SessionType.Batch && isMain ? ["/bin/sh", "-c", s.StartupCommand ?? "true"] : [],
            s.Type == SessionType.Batch,
            env,
            s.Cpu, s.MemoryBytes, s.ShmemBytes, ResourceRules.PidsLimit,
            mounts.Select(m => new KernelMount(m.Host, m.FolderId, m.ContainerPath, m.Permission == VFolderPermission.ReadOnly, m.AutoMount)).ToList(),
            WantsRunning.Contains(s.Status) ? KernelDesiredState.Running : KernelDesiredState.Terminated,
            // Every session has a network of its own (a cluster's containers share it): no session reaches another's.
            kernel.WasStarted, kernel.Hostname, $"berth-{s.Id:N}", s.CudaDevices,
            // Apps are served from the main container.
            PublishPorts: isMain ? SessionApps.Read(s.AppsJson).Select(a => a.ContainerPort).ToList() : null,
            AppToken: appTokens.For(s.Id));
    }

    // Reports are applied one at a time, and never while a destroy or a scheduling round is writing:
    // two writers that both read the old status would record the same step twice, or undo each other.
    public async Task ReportAsync(string agentId, IReadOnlyList<KernelObservation> observations, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        using (await scope.ServiceProvider.GetRequiredService<SessionWriteGate>().EnterAsync(ct))
            await ApplyReportAsync(agentId, observations, ct);
    }

    private async Task ApplyReportAsync(string agentId, IReadOnlyList<KernelObservation> observations, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var transitions = scope.ServiceProvider.GetRequiredService<SessionTransitions>();
        foreach (var o in observations)
        {
            var kernel = await db.Kernels.Include(k => k.Session).ThenInclude(s => s!.Kernels).FirstOrDefaultAsync(k => k.Id == o.KernelId, ct);
            // An agent only speaks for its own kernels.
            if (kernel?.Session is not { } session || kernel.AgentId != agentId) continue;
            Apply(kernel, session, o, transitions);
        }
        await transitions.SaveAsync(ct);
    }

    private static void Apply(KernelEntity kernel, SessionEntity session, KernelObservation o, SessionTransitions transitions)
    {
        var isMain = kernel.Hostname == "main1";
        if (o.Warnings is { Count: > 0 } warnings)
        {
            var all = JsonSerializer.Deserialize<List<string>>(session.WarningsJson) ?? [];
            all.AddRange(warnings.Where(w => !all.Contains(w)));
            session.WarningsJson = JsonSerializer.Serialize(all);
        }
        // The session's exit code and output are its main container's.
        // Container output may hold NUL, which no database text column stores.
        if (isMain && o.Logs is not null) session.LogsTail = o.Logs.Replace("\0", "", StringComparison.Ordinal);
        if (isMain && o.ExitCode is not null) session.ExitCode = o.ExitCode;
        switch (o.State)
        {
            case KernelObservedState.Preparing:
                transitions.Move(session, SessionStatus.Preparing, null);
                break;
            case KernelObservedState.Creating:
                transitions.Move(session, SessionStatus.Preparing, null);
                transitions.Move(session, SessionStatus.Creating, null);
                break;
            case KernelObservedState.Running:
                kernel.ContainerId = o.ContainerId;
                kernel.WasStarted = true;
                if (isMain) session.ContainerId = o.ContainerId;
                // RUNNING once every container of the session runs; steps the agent went through too
                // fast to report still appear in the history, in order.
                if (session.Kernels.All(k => k.WasStarted))
                {
                    transitions.Move(session, SessionStatus.Preparing, null);
                    transitions.Move(session, SessionStatus.Creating, null);
                    transitions.Move(session, SessionStatus.Running, null);
                }
                break;
            case KernelObservedState.Exited:
                var reason = o.Reason switch
                {
                    SessionReasons.OomKilled => SessionReasons.With(SessionReasons.OomKilled, $"the container used more than its memory limit ({session.MemoryBytes / 1048576} MiB)"),
                    SessionReasons.ContainerVanished => SessionReasons.ContainerVanished,
                    _ when !isMain => SessionReasons.With(SessionReasons.Exited, $"container {kernel.Hostname} stopped"),
                    _ when session.Type == SessionType.Batch => SessionReasons.BatchExited,
                    _ => SessionReasons.Exited,
                };
                transitions.Move(session, SessionStatus.Terminating, reason);
                break;
            case KernelObservedState.Failed:
                transitions.Move(session, SessionStatus.Cancelled, SessionReasons.With(SessionReasons.FailedToStart, o.Reason));
                break;
            case KernelObservedState.Removed:
                kernel.Cleaned = true;
                if (session.Status == SessionStatus.Terminating && session.Kernels.All(k => k.Cleaned))
                    transitions.Move(session, SessionStatus.Terminated, session.StatusReason);
                break;
        }
    }
}
