using System.Text.Json;
using Berth.Core.Sessions;
using Berth.Manager.Accounts;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Berth.Core.Loops;

namespace Berth.Manager.Agents;

/// <summary>
/// Notices agents that stopped answering. Level-triggered on the <c>agents</c> table: an ALIVE agent whose last
/// heartbeat is older than <see cref="ManagerOptions.AgentHeartbeatTimeout"/> becomes LOST; the live sessions on a
/// LOST agent carry a warning, and once the agent has been silent for <see cref="ManagerOptions.LostAgentGrace"/>
/// they are terminated (reason <c>agent-lost</c>) and their kernels given up. An agent that syncs again is ALIVE
/// again (<see cref="ManagerAgentChannel"/>) and its reconciler adopts its containers.
/// While the manager itself was down it heard nobody, so silence is counted from its own start at the earliest.
/// </summary>
public sealed partial class AgentLivenessLoop(
    IServiceScopeFactory scopes, AgentDirectory directory, IOptions<ManagerOptions> options, TimeProvider clock,
    ILogger<AgentLivenessLoop> log) : BackgroundService
{
    private readonly DateTime _startedAt = clock.GetUtcNow().UtcDateTime;

    public static string LostWarning(string agentId, DateTime since) =>
        $"agent {agentId} stopped answering at {since:yyyy-MM-dd HH:mm:ss}Z; the session's container may still run there and is kept while the agent may come back";

    private static string LostWarningPrefix(string agentId) => $"agent {agentId} stopped answering at ";

    public TimeSpan Interval
    {
        get
        {
            var fifth = options.Value.AgentHeartbeatTimeout / 5;
            return fifth < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500)
                : fifth > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : fifth;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RoundLoop.RunAsync(CheckOnceAsync, ct => Task.Delay(Interval, clock, ct), LogFailed, stoppingToken);
    }

    public async Task CheckOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        var transitions = scope.ServiceProvider.GetRequiredService<SessionTransitions>();

        var agents = await db.Agents.ToListAsync(ct);
        foreach (var agent in agents.Where(a => a.Status == AgentStatus.Alive && now - SilentSince(a) >= o.AgentHeartbeatTimeout))
        {
            agent.Status = AgentStatus.Lost;
            LogLost(agent.Id, agent.LastHeartbeatAt);
        }
        await db.SaveChangesAsync(ct);
        directory.Replace(agents.Where(a => a.Status == AgentStatus.Alive).Select(a => (a.Id, a.ControlUrl)));

        var lost = agents.Where(a => a.Status == AgentStatus.Lost).ToDictionary(a => a.Id);
        var lostIds = lost.Keys.ToList();
        var affected = await db.Sessions
            .Where(s => s.AgentId != null && s.Status != SessionStatus.Terminated && s.Status != SessionStatus.Cancelled
                        && s.Status != SessionStatus.Error
                        && (lostIds.Contains(s.AgentId) || s.WarningsJson.Contains(" stopped answering at ")))
            .ToListAsync(ct);
        foreach (var session in affected)
        {
            var warnings = JsonSerializer.Deserialize<List<string>>(session.WarningsJson) ?? [];
            if (!lost.TryGetValue(session.AgentId!, out var agent))
            {
                // The agent is back: the warning no longer holds.
                if (warnings.RemoveAll(w => w.StartsWith(LostWarningPrefix(session.AgentId!), StringComparison.Ordinal)) > 0)
                    session.WarningsJson = JsonSerializer.Serialize(warnings);
                continue;
            }
            if (!warnings.Any(w => w.StartsWith(LostWarningPrefix(agent.Id), StringComparison.Ordinal)))
            {
                warnings.Add(LostWarning(agent.Id, agent.LastHeartbeatAt));
                session.WarningsJson = JsonSerializer.Serialize(warnings);
            }
            if (now - SilentSince(agent) < o.LostAgentGrace) continue;

            var reason = SessionReasons.With(SessionReasons.AgentLost,
                $"agent {agent.Id} has not answered since {agent.LastHeartbeatAt:yyyy-MM-dd HH:mm:ss}Z");
            transitions.Move(session, SessionStatus.Terminating, reason);
            transitions.Move(session, SessionStatus.Terminated, reason);
            await db.Kernels.Where(k => k.SessionId == session.Id && !k.Cleaned)
                .ForEachAsync(k => k.Cleaned = true, ct);
            LogGivenUp(session.Name, agent.Id);
        }
        await transitions.SaveAsync(ct);
    }

    /// <summary>The last heartbeat, or this manager's start when that is later: nobody could be heard before it.</summary>
    private DateTime SilentSince(AgentEntity agent) => agent.LastHeartbeatAt > _startedAt ? agent.LastHeartbeatAt : _startedAt;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} is LOST: no heartbeat since {LastHeartbeat:u}.")]
    private partial void LogLost(string agentId, DateTime lastHeartbeat);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} terminated: agent {AgentId} did not come back in time.")]
    private partial void LogGivenUp(string session, string agentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent liveness check failed; retrying.")]
    private partial void LogFailed(Exception e);
}
