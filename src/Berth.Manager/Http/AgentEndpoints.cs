using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Scheduling;
using Berth.Manager.Agents;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Http;

/// <summary>
/// <c>/api/agent/v1</c>: what agents on other nodes call (the same <see cref="ManagerAgentChannel"/> the in-process
/// agent calls directly), authenticated by the shared agent token rather than a user's keypair; and
/// <c>GET /api/admin/agents</c>, the admins' view of the agents.
/// </summary>
public static class AgentEndpoints
{
    public static void MapAgentApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/api/agent/v1").WithTags("agent").AllowAnonymous().AddEndpointFilter<AgentTokenFilter>();
        agent.MapPost("/sync", (AgentHeartbeat body, IAgentChannel channel, CancellationToken ct) =>
        {
            Throw(AgentRequestRules.CheckHeartbeat(body));
            return channel.SyncAsync(body with { Capacity = body.Capacity ?? new Dictionary<string, decimal>(), Images = body.Images ?? [] }, ct);
        });
        agent.MapPost("/report", async (AgentReportRequest body, IAgentChannel channel, CancellationToken ct) =>
        {
            Throw(AgentRequestRules.CheckReport(body));
            await channel.ReportAsync(body.AgentId, body.Observations ?? [], ct);
            return Results.NoContent();
        });
        agent.MapPost("/stats", async (AgentStatsRequest body, IAgentChannel channel, CancellationToken ct) =>
        {
            Throw(AgentRequestRules.CheckStats(body));
            await channel.ReportStatsAsync(body.AgentId, body.Samples ?? [], ct);
            return Results.NoContent();
        });

        var admin = app.MapGroup("/api/admin").WithTags("admin").RequireAuthorization();
        admin.MapGet("/agents", (HttpContext h, BerthDbContext db, CancellationToken ct) => ListAsync(Caller.From(h.User), db, ct));
    }

    /// <summary>
    /// Each agent with what its live sessions hold, taken from the scheduler's own accounting
    /// (<see cref="SchedulingState"/>: every container of a cluster, GPUs included, from SCHEDULED until its
    /// container is gone), so what admins see is what placement decides on. Every slot the agent declares is listed.
    /// </summary>
    public static async Task<IReadOnlyList<AgentDto>> ListAsync(Caller caller, BerthDbContext db, CancellationToken ct)
    {
        caller.RequireAdmin();
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var state = await SchedulingState.LoadAsync(db, ct);
        return agents.Select(a =>
        {
            var capacity = SchedulingState.CapacityOf(a);
            var held = state.OccupiedByAgent.GetValueOrDefault(a.Id);
            var occupied = capacity.Names.Union(held.Names).Union([ResourceSlots.Cpu, ResourceSlots.Mem])
                .ToDictionary(name => name, name => held[name]);
            return new AgentDto(
                a.Id, a.Status == AgentStatus.Alive ? "ALIVE" : "LOST", a.ResourceGroup, capacity.Slots, occupied,
                a.Architecture, a.Version, new DateTimeOffset(DateTime.SpecifyKind(a.LastHeartbeatAt, DateTimeKind.Utc)), a.ControlUrl);
        }).ToList();
    }

    private static void Throw(Problem? p)
    {
        if (p is not null) throw p.ToException();
    }
}
