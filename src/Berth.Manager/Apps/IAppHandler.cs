using Berth.Manager.Data;
using Microsoft.AspNetCore.Http;

namespace Berth.Manager.Apps;

/// <summary>
/// The seam for apps the manager serves itself instead of forwarding them to a container port (e.g. a built-in web
/// terminal): handlers are looked up, in registration order, after the caller passed the app's authentication and the
/// session was found RUNNING. The first that <see cref="Handles"/> the grant serves the request (HTTP or WebSocket);
/// without one the request is forwarded to the app's container port.
/// </summary>
public interface IAppHandler
{
    bool Handles(AppGrant grant);

    /// <param name="path">The request's path below the app's root (<c>/</c> for the app's root).</param>
    Task ServeAsync(HttpContext context, AppGrant grant, SessionEntity session, PathString path);
}
