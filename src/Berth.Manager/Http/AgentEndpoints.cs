using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Agents;
using Berth.Manager.Auth;
using Berth.Manager.Data;
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
            if (string.IsNullOrWhiteSpace(body.AgentId))
                throw Problem.Invalid("agentId", "required", "The heartbeat names no agent.").ToException();
            return channel.SyncAsync(body with { Capacity = body.Capacity ?? new Dictionary<string, decimal>(), Images = body.Images ?? [] }, ct);
        });
        agent.MapPost("/report", async (AgentReportRequest body, IAgentChannel channel, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.AgentId))
                throw Problem.Invalid("agentId", "required", "The report names no agent.").ToException();
            await channel.ReportAsync(body.AgentId, body.Observations ?? [], ct);
            return Results.NoContent();
        });
        agent.MapPost("/stats", async (AgentStatsRequest body, IAgentChannel channel, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.AgentId))
                throw Problem.Invalid("agentId", "required", "The stats name no agent.").ToException();
            await channel.ReportStatsAsync(body.AgentId, body.Samples ?? [], ct);
            return Results.NoContent();
        });

        var admin = app.MapGroup("/api/admin").WithTags("admin").RequireAuthorization();
        admin.MapGet("/agents", (HttpContext h, BerthDbContext db, CancellationToken ct) => ListAsync(Caller.From(h.User), db, ct));
    }

    public static async Task<IReadOnlyList<AgentDto>> ListAsync(Caller caller, BerthDbContext db, CancellationToken ct)
    {
        caller.RequireAdmin();
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var live = await db.Sessions.AsNoTracking()
            .Where(s => s.AgentId != null && s.Status != SessionStatus.Terminated && s.Status != SessionStatus.Cancelled
                        && s.Status != SessionStatus.Error)
            .Select(s => new { s.AgentId, s.Cpu, s.MemoryBytes })
            .ToListAsync(ct);
        var occupied = live.GroupBy(s => s.AgentId!).ToDictionary(g => g.Key, g => new Dictionary<string, decimal>
        {
            ["cpu"] = g.Sum(s => (decimal)s.Cpu),
            ["mem"] = g.Sum(s => (decimal)s.MemoryBytes),
        });
        return agents.Select(a => new AgentDto(
            a.Id, a.Status == AgentStatus.Alive ? "ALIVE" : "LOST", a.ResourceGroup,
            JsonSerializer.Deserialize<Dictionary<string, decimal>>(a.CapacityJson) ?? [],
            occupied.GetValueOrDefault(a.Id) ?? new Dictionary<string, decimal> { ["cpu"] = 0, ["mem"] = 0 },
            a.Architecture, a.Version, new DateTimeOffset(DateTime.SpecifyKind(a.LastHeartbeatAt, DateTimeKind.Utc)), a.ControlUrl)).ToList();
    }
}
