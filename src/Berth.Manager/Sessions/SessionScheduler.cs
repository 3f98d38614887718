using Berth.Core.Agents;
using Berth.Core.Sessions;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Manager.Sessions;

public sealed class SchedulerSignal
{
    private readonly SemaphoreSlim _signal = new(0);
    public void Wake()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Takes pending sessions in arrival order and assigns each a kernel on an agent. Placement across
/// many agents, capacity and policies come with the multi-node scheduler; here every session goes to
/// the first agent there is, and waits (saying why) while there is none.
/// </summary>
public sealed partial class SessionScheduler(IServiceScopeFactory scopes, SchedulerSignal signal, ILogger<SessionScheduler> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await ScheduleOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { LogFailed(e); }
            try { await signal.WaitAsync(Interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async Task ScheduleOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var transitions = scope.ServiceProvider.GetRequiredService<SessionTransitions>();
        var agents = scope.ServiceProvider.GetRequiredService<IAgentDirectory>();
        var pending = await db.Sessions.Where(s => s.Status == SessionStatus.Pending).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        if (pending.Count == 0) return;
        var agent = agents.All.FirstOrDefault();
        foreach (var session in pending)
        {
            if (agent is null)
            {
                session.StatusReason = "waiting: no agent is available to run sessions";
                continue;
            }
            session.AgentId = agent.AgentId;
            db.Kernels.Add(new KernelEntity { Id = Guid.NewGuid(), SessionId = session.Id, AgentId = agent.AgentId });
            transitions.Move(session, SessionStatus.Scheduled, SessionReasons.Scheduled);
        }
        await transitions.SaveAsync(ct);
        agent?.Nudge();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling round failed; retrying.")]
    private partial void LogFailed(Exception e);
}
