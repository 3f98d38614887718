using Berth.Core.Apps;
using Berth.Core.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Berth.Manager.Apps;

/// <summary>
/// Refuses WebSocket upgrades and state-changing requests that another page made (<see cref="AppOriginPolicy"/>), so
/// that a page elsewhere cannot use the browser's cookie for an app to drive it (a Jupyter kernel, a terminal). The
/// app's origin is the one the request was sent to, as the browser saw it: scheme and <c>Host</c> — the app's own
/// port or host name, or the manager's address for a path URL.
/// </summary>
public static partial class AppOriginCheck
{
    /// <summary>True when the request was refused (403 <c>app-origin-refused</c>, already answered).</summary>
    public static async Task<bool> RefusedAsync(HttpContext context, AppGrant grant, ILogger log)
    {
        var request = context.Request;
        var isUpgrade = context.WebSockets.IsWebSocketRequest || context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;
        var refusal = AppOriginPolicy.Refusal(request.Method, isUpgrade, request.Headers.Origin, request.Headers["Sec-Fetch-Site"],
            request.Scheme, request.Headers.Host);
        if (refusal is null) return false;
        // Someone else's page tried; nothing is wrong with the server.
        Log.Refused(log, grant.App, grant.SessionId, request.Method, Shorten(request.Headers.Origin), Shorten(request.Headers.Host));
        await AppProxy.WriteAsync(context, Problem.Forbidden(AppOriginPolicy.Rule, refusal, "Origin"));
        return true;
    }

    private static string Shorten(string? value) => value is null ? "" : value.Length <= 200 ? value : value[..200] + "…";

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Refused a {Method} to app {App} of session {SessionId} made by another page (Origin {Origin}, Host {Host}): app-origin-refused")]
        public static partial void Refused(ILogger log, string app, Guid sessionId, string method, string origin, string host);
    }
}
