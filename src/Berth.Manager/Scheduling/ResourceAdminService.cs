using System.Text.Json;
using Berth.Core.Accounts;
using Berth.Core.Contracts;
using Berth.Core.Idle;
using Berth.Manager.Idle;
using Berth.Core.Problems;
using Berth.Core.Scheduling;
using Berth.Core.Validation;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Scheduling;

/// <summary>Resource groups, presets and policies: what admins configure and what the scheduler obeys.</summary>
public sealed class ResourceAdminService(BerthDbContext db, TimeProvider clock)
{
    public async Task<ResourceGroupDto> SaveGroupAsync(Caller caller, SaveResourceGroupRequest r, bool create, CancellationToken ct)
    {
        caller.RequireAdmin();
        Throw(AccountRules.CheckProjectName(r.Name));
        var order = QueueOrder.Fifo;
        var selection = AgentSelection.Dispersed;
        Throw((r.Scheduler is not null && !SchedulingWire.TryParseQueueOrder(r.Scheduler, out order)
                  ? Problem.Invalid("scheduler", "scheduler-invalid", $"{ProblemText.Quote(r.Scheduler)} is not a scheduler; use fifo, lifo or drf.") : null)
              ?? (r.AgentSelection is not null && !SchedulingWire.TryParseAgentSelection(r.AgentSelection, out selection)
                  ? Problem.Invalid("agentSelection", "agent-selection-invalid", $"{ProblemText.Quote(r.AgentSelection)} is not an agent selection; use dispersed, concentrated or roundrobin.") : null)
              ?? DurationRules.CheckSeconds(r.PendingTimeoutSeconds, "pendingTimeoutSeconds")
              ?? CheckTypes(r.AllowedSessionTypes)
              ?? IdleConfigRules.Check(r.IdleChecks));
        var group = await db.ResourceGroups.FirstOrDefaultAsync(g => g.Name == r.Name, ct);
        if (create && group is not null)
            throw Problem.Conflict("resource-group-exists", $"A resource group named {r.Name} already exists.", "name").ToException();
        if (!create && group is null) throw GroupNotFound(r.Name!);
        if (group is null)
        {
            group = new ResourceGroupEntity { Name = r.Name!, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.ResourceGroups.Add(group);
        }
        if (r.Description is not null || create) group.Description = r.Description;
        if (r.Scheduler is not null || create) group.Order = order;
        if (r.AgentSelection is not null || create) group.Selection = selection;
        if (r.AllowedSessionTypes is not null)
        {
            group.AllowInteractive = r.AllowedSessionTypes.Contains("interactive", StringComparer.OrdinalIgnoreCase);
            group.AllowBatch = r.AllowedSessionTypes.Contains("batch", StringComparer.OrdinalIgnoreCase);
        }
        if (r.PendingTimeoutSeconds is not null || create) group.PendingTimeoutSeconds = r.PendingTimeoutSeconds;
        if (r.IsPublic is not null || create) group.IsPublic = r.IsPublic ?? false;
        if (r.IdleChecks is not null) group.IdleChecksJson = IdleSettings.Write(IdleSettings.Overlay(IdleSettings.Read(group.IdleChecksJson), r.IdleChecks));
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(group, ct);
    }

    private static Problem? CheckTypes(IReadOnlyList<string>? types)
    {
        if (types is null) return null;
        if (types.Count == 0) return Problem.Invalid("allowedSessionTypes", "session-types-empty", "Allow at least one session type (interactive, batch).");
        var bad = types.FirstOrDefault(t => !t.Equals("interactive", StringComparison.OrdinalIgnoreCase) && !t.Equals("batch", StringComparison.OrdinalIgnoreCase));
        return bad is null ? null : Problem.Invalid("allowedSessionTypes", "session-type-invalid", $"{ProblemText.Quote(bad)} is not a session type; use interactive or batch.");
    }

    public async Task<IReadOnlyList<ResourceGroupDto>> ListGroupsAsync(Caller caller, CancellationToken ct)
    {
        var groups = await ResourceGroups.VisibleToAsync(db, caller.UserId, caller.IsAdmin, ct);
        var result = new List<ResourceGroupDto>();
        foreach (var g in groups) result.Add(await ToDtoAsync(g, ct));
        return result;
    }

    public async Task<ResourceGroupDto> GrantAsync(Caller caller, string name, ResourceGroupGrantRequest r, CancellationToken ct)
    {
        caller.RequireAdmin();
        var group = await db.ResourceGroups.FirstOrDefaultAsync(g => g.Name == name, ct) ?? throw GroupNotFound(name);
        if ((r.Email is null) == (r.Project is null))
            throw Problem.Invalid("email", "grant-target", "Name exactly one of a user's email or a project.").ToException();
        var grant = new ResourceGroupGrantEntity { ResourceGroup = name };
        if (r.Email is not null)
        {
            var email = AccountRules.NormalizeEmail(r.Email);
            grant.UserId = (await db.Users.FirstOrDefaultAsync(u => u.Email == email, ct)
                            ?? throw Problem.NotFound("user-not-found", $"There is no user with email {email}.", "email").ToException()).Id;
        }
        else
        {
            grant.ProjectId = (await db.Projects.FirstOrDefaultAsync(p => p.Name == r.Project, ct)
                               ?? throw Problem.NotFound("project-not-found", $"There is no project named {r.Project}.", "project").ToException()).Id;
        }
        if (!await db.ResourceGroupGrants.AnyAsync(x => x.ResourceGroup == name && x.UserId == grant.UserId && x.ProjectId == grant.ProjectId, ct))
        {
            db.ResourceGroupGrants.Add(grant);
            await db.SaveChangesAsync(ct);
        }
        return await ToDtoAsync(group, ct);
    }

    public async Task<ResourcePresetDto> SavePresetAsync(Caller caller, SaveResourcePresetRequest r, CancellationToken ct)
    {
        caller.RequireAdmin();
        Throw(PresetRules.Check(r));
        if (r.ResourceGroup is not null && !await db.ResourceGroups.AnyAsync(g => g.Name == r.ResourceGroup, ct)) throw GroupNotFound(r.ResourceGroup);
        var preset = await db.ResourcePresets.FirstOrDefaultAsync(p => p.Name == r.Name && p.ResourceGroup == r.ResourceGroup, ct);
        if (preset is null)
        {
            preset = new ResourcePresetEntity { Id = Guid.NewGuid(), Name = r.Name!, ResourceGroup = r.ResourceGroup };
            db.ResourcePresets.Add(preset);
        }
        preset.SlotsJson = JsonSerializer.Serialize(ResourceSlots.ForSession(r.Cpu!.Value, r.MemoryBytes!.Value).Slots);
        preset.ShmemBytes = r.ShmemBytes;
        await db.SaveChangesAsync(ct);
        return ToDto(preset);
    }

    public async Task<IReadOnlyList<ResourcePresetDto>> ListPresetsAsync(string? group, CancellationToken ct) =>
        (await db.ResourcePresets.Where(p => p.ResourceGroup == null || p.ResourceGroup == group).OrderBy(p => p.Name).ToListAsync(ct))
        .Select(ToDto).ToList();

    public async Task<ResourcePolicyDto> SavePolicyAsync(Caller caller, ResourcePolicyDto r, CancellationToken ct)
    {
        caller.RequireAdmin();
        ResourceSlots? slots = null;
        Throw(AccountRules.CheckProjectName(r.Name)
              ?? (r.MaxTotalSlots is not null && !ResourceSlots.TryParse(r.MaxTotalSlots, out var parsed, out var why)
                  ? Problem.Invalid("maxTotalSlots", "slots-invalid", $"{ProblemText.Quote(r.MaxTotalSlots)} is not a list of slots like cpu=8 mem=32g: {why}") : null)
              ?? (r.MaxConcurrentSessions is < 0 || r.MaxPendingSessions is < 0 || r.MaxContainersPerSession is < 1 || r.MaxSessionLifetimeSeconds is <= 0 || r.MaxCustomizedImages is < 0
                  ? Problem.Invalid("policy", "limit-invalid", "Limits must be positive numbers (containers per session at least 1).") : null)
              ?? DurationRules.CheckSeconds(r.MaxSessionLifetimeSeconds, "maxSessionLifetimeSeconds", "limit-invalid")
              ?? IdleConfigRules.Check(r.IdleChecks));
        if (r.MaxTotalSlots is not null) slots = ResourceSlots.Parse(r.MaxTotalSlots);
        var policy = await db.ResourcePolicies.FirstOrDefaultAsync(p => p.Name == r.Name, ct);
        if (policy is null)
        {
            policy = new ResourcePolicyEntity { Name = r.Name, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.ResourcePolicies.Add(policy);
        }
        policy.MaxConcurrentSessions = r.MaxConcurrentSessions;
        policy.MaxTotalSlotsJson = slots is { } s ? JsonSerializer.Serialize(s.Slots) : null;
        policy.MaxPendingSessions = r.MaxPendingSessions;
        policy.MaxContainersPerSession = r.MaxContainersPerSession;
        policy.MaxSessionLifetimeSeconds = r.MaxSessionLifetimeSeconds;
        policy.MaxCustomizedImages = r.MaxCustomizedImages;
        policy.IdleChecksJson = IdleSettings.Write(r.IdleChecks);
        await db.SaveChangesAsync(ct);
        return ToDto(policy);
    }

    public async Task<IReadOnlyList<ResourcePolicyDto>> ListPoliciesAsync(Caller caller, CancellationToken ct)
    {
        caller.RequireAdmin();
        return (await db.ResourcePolicies.OrderBy(p => p.Name).ToListAsync(ct)).Select(ToDto).ToList();
    }

    public async Task AssignPolicyAsync(Caller caller, string email, AssignPolicyRequest r, CancellationToken ct)
    {
        caller.RequireAdmin();
        var normalized = AccountRules.NormalizeEmail(email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, ct)
                   ?? throw Problem.NotFound("user-not-found", $"There is no user with email {normalized}.", "email").ToException();
        if (r.Policy is not null && !await db.ResourcePolicies.AnyAsync(p => p.Name == r.Policy, ct))
            throw Problem.NotFound("policy-not-found", $"There is no resource policy named {r.Policy}.", "policy").ToException();
        user.ResourcePolicy = r.Policy;
        await db.SaveChangesAsync(ct);
    }

    private async Task<ResourceGroupDto> ToDtoAsync(ResourceGroupEntity g, CancellationToken ct)
    {
        var grants = await db.ResourceGroupGrants.Where(x => x.ResourceGroup == g.Name).ToListAsync(ct);
        var userIds = grants.Where(x => x.UserId != null).Select(x => x.UserId!.Value).ToList();
        var projectIds = grants.Where(x => x.ProjectId != null).Select(x => x.ProjectId!.Value).ToList();
        var users = await db.Users.Where(u => userIds.Contains(u.Id)).Select(u => u.Email).OrderBy(e => e).ToListAsync(ct);
        var projects = await db.Projects.Where(p => projectIds.Contains(p.Id)).Select(p => p.Name).OrderBy(n => n).ToListAsync(ct);
        var types = new List<string>();
        if (g.AllowInteractive) types.Add("interactive");
        if (g.AllowBatch) types.Add("batch");
        return new ResourceGroupDto(g.Name, g.Description, g.Order.ToWire(), g.Selection.ToWire(), types, g.PendingTimeoutSeconds, g.IsPublic, users, projects,
            IdleSettings.Read(g.IdleChecksJson));
    }

    public static ResourcePresetDto ToDto(ResourcePresetEntity p)
    {
        var slots = new ResourceSlots(JsonSerializer.Deserialize<Dictionary<string, decimal>>(p.SlotsJson) ?? []);
        return new ResourcePresetDto(p.Name, p.ResourceGroup, (double)slots.CpuCores, (long)slots.MemoryBytes, p.ShmemBytes);
    }

    public static ResourcePolicyDto ToDto(ResourcePolicyEntity p) => new(p.Name, p.MaxConcurrentSessions,
        p.MaxTotalSlotsJson is null ? null : new ResourceSlots(JsonSerializer.Deserialize<Dictionary<string, decimal>>(p.MaxTotalSlotsJson) ?? []).Format(),
        p.MaxPendingSessions, p.MaxContainersPerSession, p.MaxSessionLifetimeSeconds, p.MaxCustomizedImages, IdleSettings.Read(p.IdleChecksJson));

    private static BerthProblemException GroupNotFound(string name) =>
        Problem.NotFound("resource-group-not-found", $"There is no resource group named {name}.", "resourceGroup").ToException();

    private static void Throw(Problem? p)
    {
        if (p is not null) throw p.ToException();
    }
}
