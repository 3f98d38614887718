using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Berth.Web.Auth;

/// <summary>
/// Inside <c>berth server</c> the default scheme is the manager's HMAC signing. The console's pages, its
/// sign-out endpoint and the Blazor circuit hub (whose connection gives the circuit its user) take their user
/// from the console cookie instead; every other endpoint (the API, the app proxy) never sees that cookie's user.
/// </summary>
public sealed class ConsoleUserMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (IsConsoleRequest(context) && context.User.Identity?.IsAuthenticated != true)
        {
            var result = await context.AuthenticateAsync(ConsoleAuth.Scheme);
            if (result.Succeeded) context.User = result.Principal;
        }
        await next(context);
    }

    private static bool IsConsoleRequest(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/_blazor")) return true;
        var endpoint = context.GetEndpoint();
        return endpoint?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            || endpoint?.Metadata.GetMetadata<ConsoleEndpointMetadata>() is not null;
    }
}

/// <summary>Marks the console's own minimal endpoints (sign-out) for <see cref="ConsoleUserMiddleware"/>.</summary>
public sealed class ConsoleEndpointMetadata
{
    public static readonly ConsoleEndpointMetadata Instance = new();
}
