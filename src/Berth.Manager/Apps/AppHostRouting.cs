using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Manager.Apps;

/// <summary>
/// Serves apps on host names of their own (<c>Apps:HostPattern</c>) from the manager's own listener: a request whose
/// <c>Host</c> is an app's host name goes to that app, whatever its path — the manager's API and pages are never
/// served under an app's origin. Everything else goes on to the manager's endpoints.
/// </summary>
public static class AppHostRouting
{
    /// <summary>Place after authentication (signed requests of the owner pass the app's login) and before authorization.</summary>
    public static IApplicationBuilder UseAppHostNames(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var pattern = context.RequestServices.GetRequiredService<AppHostNames>().Pattern;
        if (pattern is null || !pattern.TryMatch(context.Request.Host.Host, out var token))
        {
            await next(context);
            return;
        }
        // The app's own answers (an empty 404 of its own) are not the manager's to rewrite.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        await context.RequestServices.GetRequiredService<AppProxy>().ServeHostAsync(context, token);
    });
}
