using Berth.Core.Contracts;
using Berth.Manager.Auth;
using Berth.Manager.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Manager.Http;

public static class ResourceEndpoints
{
    public static void MapResourceApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("resources").RequireAuthorization();
        admin.MapPost("/resource-groups", async Task<Created<ResourceGroupDto>> (SaveResourceGroupRequest body, HttpContext h, ResourceAdminService s, CancellationToken ct) =>
        {
            var group = await s.SaveGroupAsync(Caller.From(h.User), body, create: true, ct);
            return TypedResults.Created($"/api/resource-groups/{group.Name}", group);
        });
        admin.MapPost("/resource-groups/{name}", (string name, SaveResourceGroupRequest body, HttpContext h, ResourceAdminService s, CancellationToken ct) =>
            s.SaveGroupAsync(Caller.From(h.User), body with { Name = name }, create: false, ct));
        admin.MapPost("/resource-groups/{name}/grants", (string name, ResourceGroupGrantRequest body, HttpContext h, ResourceAdminService s, CancellationToken ct) =>
            s.GrantAsync(Caller.From(h.User), name, body, ct));
        admin.MapPost("/presets", (SaveResourcePresetRequest body, HttpContext h, ResourceAdminService s, CancellationToken ct) =>
            s.SavePresetAsync(Caller.From(h.User), body, ct));
        admin.MapGet("/policies", (HttpContext h, ResourceAdminService s, CancellationToken ct) => s.ListPoliciesAsync(Caller.From(h.User), ct));
        admin.MapPost("/policies", (ResourcePolicyDto body, HttpContext h, ResourceAdminService s, CancellationToken ct) =>
            s.SavePolicyAsync(Caller.From(h.User), body, ct));
        admin.MapPost("/users/{email}/policy", async (string email, AssignPolicyRequest body, HttpContext h, ResourceAdminService s, CancellationToken ct) =>
        {
            await s.AssignPolicyAsync(Caller.From(h.User), email, body, ct);
            return TypedResults.NoContent();
        });

        var user = app.MapGroup("/api").WithTags("resources").RequireAuthorization();
        user.MapGet("/resource-groups", (HttpContext h, ResourceAdminService s, CancellationToken ct) => s.ListGroupsAsync(Caller.From(h.User), ct));
        user.MapGet("/resource/presets", (string? group, ResourceAdminService s, CancellationToken ct) => s.ListPresetsAsync(group ?? "default", ct));
        user.MapGet("/resource/check-presets", (string? group, HttpContext h, PresetCheck s, CancellationToken ct) =>
            s.CheckAsync(Caller.From(h.User), group ?? "default", ct));
        user.MapGet("/resource/remaining", (string? group, string? owner, HttpContext h, RemainingResources s, CancellationToken ct) =>
                s.GetAsync(Caller.From(h.User), group ?? "default", owner, ct))
            .WithSummary("What is left to launch with in a resource group")
            .WithDescription("The caller's policy headroom (null: no total limit), the free slots summed over the group's alive agents, " +
                             "and the freest agent's free slots. Admins may pass owner=EMAIL to see another user's headroom.");
        user.MapGet("/me/usage", (HttpContext h, MyUsage s, CancellationToken ct) => s.GetAsync(Caller.From(h.User), ct))
            .WithSummary("The caller's use against their resource policy, and the free capacity of the groups they may use")
            .WithDescription("Read-only: policy limits (null: none) beside live/pending session counts and occupied slots, " +
                             "then each visible resource group's summed capacity and free slots over its connected agents.");
    }
}
