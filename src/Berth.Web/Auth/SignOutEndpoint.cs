using System.Security.Claims;
using Berth.Client;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Web.Auth;

/// <summary>
/// POST /auth/sign-out (a form with the antiforgery token): revokes the keypair at the manager, forgets it,
/// and drops the cookie. A GET cannot sign anyone out, so a link on another site cannot either.
/// </summary>
public static class SignOutEndpoint
{
    public static void MapConsoleSignOut(this IEndpointRouteBuilder app) =>
        app.MapPost(ConsoleAuth.SignOutPath, SignOutAsync)
            .WithMetadata(ConsoleEndpointMetadata.Instance)
            .DisableAntiforgery() // validated below, after the cookie's user is known: the token is bound to it
            .AllowAnonymous()
            .ExcludeFromDescription();

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, KeyPairVault vault, ManagerConnection manager)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest();
        var handle = context.User.FindFirstValue(ConsoleAuth.HandleClaim);
        if (vault.Find(handle) is { } keys)
        {
            using var client = manager.CreateClient(keys);
            try
            {
                await client.LogoutAsync(context.RequestAborted);
            }
            catch (BerthApiException)
            {
                // Already revoked (or the manager is away): the browser is signed out here all the same.
            }
            vault.Remove(handle);
        }
        await context.SignOutAsync(ConsoleAuth.Scheme);
        return Results.LocalRedirect(ConsoleAuth.SignInPath);
    }
}
