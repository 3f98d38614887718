using Berth.Core.Contracts;
using Berth.Manager.Auth;
using Berth.Manager.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Manager.Http;

/// <summary>
/// <c>/api/sessions/history</c>: the caller's recent launches. The literal segment wins over <c>/api/sessions/{session}</c>,
/// so a session that happens to be named "history" is read by its id.
/// </summary>
public static class LaunchHistoryEndpoints
{
    public static void MapLaunchHistoryApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/sessions/history").WithTags("sessions").RequireAuthorization();
        g.MapGet("/", (HttpContext h, LaunchHistoryService s, CancellationToken ct) => s.ListAsync(Caller.From(h.User), ct));
        g.MapPatch("/{id}", (string id, UpdateLaunchHistoryRequest body, HttpContext h, LaunchHistoryService s, CancellationToken ct) =>
            s.UpdateAsync(Caller.From(h.User), id, body, ct));
        g.MapDelete("/{id}", async (string id, HttpContext h, LaunchHistoryService s, CancellationToken ct) =>
        {
            await s.DeleteAsync(Caller.From(h.User), id, ct);
            return Results.NoContent();
        });
    }
}
