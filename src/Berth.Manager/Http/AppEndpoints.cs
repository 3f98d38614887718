using Berth.Core.Contracts;
using Berth.Manager.Apps;
using Berth.Manager.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Manager.Http;

/// <summary>A session's apps (<c>/api/sessions/{session}/apps</c>) and the app proxy itself (<c>/proxy/{token}/**</c>).</summary>
public static class AppEndpoints
{
    public static void MapAppApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/sessions").WithTags("apps").RequireAuthorization();
        g.MapGet("/{session}/apps", (string session, HttpContext h, AppService s, CancellationToken ct) =>
            s.ListAsync(Caller.From(h.User), session, ct));
        g.MapPost("/{session}/apps/{app}/open", (string session, string app, OpenAppRequest? body, HttpContext h, AppService s, CancellationToken ct) =>
            s.OpenAsync(Caller.From(h.User), session, app, body ?? new OpenAppRequest(), $"{h.Request.Scheme}://{h.Request.Host}{h.Request.PathBase}",
                "http", h.Request.Host.Host, ct));
        g.MapPost("/{session}/apps/{app}/close", async (string session, string app, HttpContext h, AppService s, CancellationToken ct) =>
            new CloseAppResponse(await s.CloseAsync(Caller.From(h.User), session, app, ct)));

        // Browsers cannot sign requests: the proxy does its own checks (owner secret → cookie, or public).
        RequestDelegate serve = h => h.RequestServices.GetRequiredService<AppProxy>().ServePathAsync(h);
        app.Map("/proxy/{token}", serve).AllowAnonymous().ExcludeFromDescription();
        app.Map("/proxy/{token}/{**rest}", serve).AllowAnonymous().ExcludeFromDescription();
    }
}
