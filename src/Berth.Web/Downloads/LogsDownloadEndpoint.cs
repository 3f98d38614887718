using System.Security.Claims;
using Berth.Client;
using Berth.Core.Sessions;
using Berth.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Web.Downloads;

/// <summary>
/// GET /console/sessions/{session}/logs.txt?kernel=: the logs dialog's Download button. A plain browser download
/// (the whole output as the manager has it, streamed through), signed with the cookie user's keypair like the circuit's calls.
/// </summary>
public static class LogsDownloadEndpoint
{
    public const string PathPrefix = "/console/sessions/";

    /// <summary>The address of a session's logs as a text file; <paramref name="kernel"/> null means main1.</summary>
    public static string PathFor(Guid session, string? kernel) =>
        PathPrefix + session + "/logs.txt" + (kernel is null ? "" : "?kernel=" + Uri.EscapeDataString(kernel));

    public static void MapConsoleLogsDownload(this IEndpointRouteBuilder app) =>
        app.MapGet(PathPrefix + "{session:guid}/logs.txt", DownloadAsync)
            .WithMetadata(ConsoleEndpointMetadata.Instance)
            .RequireAuthorization(ConsoleAuth.Policy)
            .ExcludeFromDescription();

    private static async Task DownloadAsync(Guid session, string? kernel, HttpContext context, KeyPairVault vault, ManagerConnection manager)
    {
        if (vault.Find(context.User.FindFirstValue(ConsoleAuth.HandleClaim)) is not { } keys)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        using var client = manager.CreateClient(keys);
        // Read first into memory: a problem (no such session or kernel) becomes a status, not half a file. Logs are a bounded tail or a live stream's current output.
        using var buffer = new MemoryStream();
        try
        {
            await client.StreamLogsAsync(session.ToString(), follow: false, kernel, buffer, context.RequestAborted);
        }
        catch (BerthApiException e)
        {
            context.Response.StatusCode = (int)(e.StatusCode ?? System.Net.HttpStatusCode.BadGateway);
            await context.Response.WriteAsync(e.Message, context.RequestAborted);
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{session}-{kernel ?? KernelNames.Main}.log\"";
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
