using System.Globalization;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Auth;
using Berth.Manager.Sessions;

namespace Berth.Manager.Apps;

/// <summary>Listing a session's apps and opening one through the app proxy.</summary>
public sealed class AppService(SessionService sessions, AppProxy proxy)
{
    public async Task<IReadOnlyList<AppDto>> ListAsync(Caller caller, string reference, CancellationToken ct) =>
        SessionApps.Read((await sessions.FindAsync(caller, reference, ct)).AppsJson);

    /// <param name="baseUrl">The manager's address as the caller reached it, e.g. <c>http://127.0.0.1:8090</c>.</param>
    public async Task<OpenAppResponse> OpenAsync(Caller caller, string reference, string appName, OpenAppRequest request, string baseUrl, CancellationToken ct)
    {
        if (request.PreferredPort is { } preferred && preferred is < PreopenPortRules.MinPort or > PreopenPortRules.MaxPort)
            throw Problem.Invalid("preferredPort", "preferred-port-out-of-range", $"A preferred port is within {PreopenPortRules.MinPort}–{PreopenPortRules.MaxPort}.").ToException();
        var session = await sessions.FindAsync(caller, reference, ct);
        if (session.OwnerUserId != caller.UserId)
            throw Problem.Forbidden("app-owner-only", $"Only the owner of session '{session.Name}' may open its apps.", "session").ToException();
        var apps = SessionApps.Read(session.AppsJson);
        var app = apps.FirstOrDefault(a => a.Name == appName)
                  ?? (int.TryParse(appName, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? apps.FirstOrDefault(a => a.ContainerPort == port) : null)
                  ?? throw Problem.NotFound("app-not-found",
                      $"Session '{session.Name}' has no app '{appName}'" + (apps.Count == 0
                          ? "; it has none (start one with --preopen PORT)."
                          : $"; it has {string.Join(", ", apps.Select(a => a.Name))}."), "app").ToException();
        if (session.Status != SessionStatus.Running || session.ContainerId is null)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; apps open only in RUNNING sessions.", "session").ToException();

        var isPublic = request.Public ?? false;
        var grant = proxy.Open(session.Id, session.OwnerUserId, app.Name, app.ContainerPort, isPublic);
        var url = baseUrl.TrimEnd('/') + AppProxy.PathOf(grant.Token) + "/" + (isPublic ? "" : $"?{AppProxy.AuthParameter}={grant.Secret}");
        var note = request.PreferredPort is { } p
            ? $"Berth serves apps under the manager's own address; preferred port {p.ToString(CultureInfo.InvariantCulture)} is not used."
            : null;
        return new OpenAppResponse(url, grant.Token, app.Name, app.ContainerPort, isPublic, note);
    }
}
