using System.Globalization;
using Berth.Core.Agents;
using Berth.Core.Apps;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Apps;

/// <summary>Listing a session's apps and opening one through the app proxy.</summary>
public sealed class AppService(SessionService sessions, AppProxy proxy, AppListeners listeners, AppHostNames hostNames, IAgentDirectory agents,
    IOptions<AppsOptions> listenerOptions)
{
    public async Task<IReadOnlyList<AppDto>> ListAsync(Caller caller, string reference, CancellationToken ct) =>
        SessionApps.ReadWithBuiltIns((await sessions.FindAsync(caller, reference, ct)).AppsJson);

    /// <param name="baseUrl">The manager's address as the caller reached it, e.g. <c>http://127.0.0.1:8090</c>.</param>
    /// <param name="scheme">The scheme of the app ports' URLs.</param>
    /// <param name="host">The host name the caller reached the manager by; app ports' URLs use it too.</param>
    public async Task<OpenAppResponse> OpenAsync(Caller caller, string reference, string appName, OpenAppRequest request, string baseUrl,
        string scheme, string host, CancellationToken ct)
    {
        if (AppOpenRules.CheckPreferredPort(request.PreferredPort) is { } badPort) throw badPort.ToException();
        var session = await sessions.FindAsync(caller, reference, ct);
        if (session.OwnerUserId != caller.UserId)
            throw Problem.Forbidden("app-owner-only", $"Only the owner of session '{session.Name}' may open its apps.", "session").ToException();
        var app = FindApp(session, appName);
        if (session.Status != SessionStatus.Running || session.ContainerId is null)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; apps open only in RUNNING sessions.", "session").ToException();

        var isPublic = request.Public ?? false;
        if (isPublic && app.Kind == SessionApps.TerminalKind)
            throw Problem.Invalid("public", "app-public-not-allowed",
                "A terminal is a shell in the session: it opens for its owner only, never --public.").ToException();
        var notes = new List<string>();
        if (app.Command is not null && await StartServiceAsync(session, app, ct) is { } started) notes.Add(started);

        // Re-opening an app that already has a port or host name of its own gives the same URL back.
        var hostPattern = hostNames.Pattern;
        var ownAddress = hostPattern is not null || listeners.Range is not null;
        var grant = ownAddress ? proxy.FindReusable(session.Id, app.Name, isPublic) : null;
        if (grant is null)
        {
            grant = proxy.Open(session.Id, session.OwnerUserId, app.Name, app.Kind, app.ContainerPort, isPublic);
            // Host names, when configured, are the app's origin instead of a port: a port would share its cookies.
            if (hostPattern is not null) grant.HostName = hostPattern.HostFor(grant.Token);
            else if (listeners.Range is not null)
            {
                try
                {
                    if (await listeners.StartAsync(grant, request.PreferredPort, ct) is { } portNote) notes.Add(portNote);
                }
                catch
                {
                    proxy.Close(grant);
                    throw;
                }
            }
        }
        else if (request.PreferredPort is { } p && grant.Port is not null && p != grant.Port)
        {
            notes.Add($"The app is already open on port {grant.Port}; close it first (`berth app --close`) to move it to port {p}.");
        }

        var secret = isPublic ? "" : $"?{AppProxy.AuthParameter}={grant.Secret}";
        var pathUrl = baseUrl.TrimEnd('/') + AppProxy.PathOf(grant.Token) + "/" + secret;
        var url = grant.HostName is { } hostName ? HostUrl(baseUrl, hostName) + secret
            : grant.Port is { } port ? $"{scheme}://{HostForUrl(host)}:{port.ToString(CultureInfo.InvariantCulture)}/{secret}"
            : pathUrl;
        if (hostPattern is not null && request.PreferredPort is { } ignored)
            notes.Add($"Apps get host names of their own (Apps:HostPattern), not ports; preferred port {ignored.ToString(CultureInfo.InvariantCulture)} is not used.");
        else if (listeners.Range is null && request.PreferredPort is { } unused)
            notes.Add($"The app port pool is off (Apps:PortRange); preferred port {unused.ToString(CultureInfo.InvariantCulture)} is not used.");
        return new OpenAppResponse(url, grant.Token, app.Name, app.ContainerPort, isPublic, notes.Count == 0 ? null : string.Join(" ", notes),
            pathUrl, grant.Port);
    }

    /// <summary>Forgets the app's grants (its URLs stop working) and gives its ports back to the pool.</summary>
    public async Task<int> CloseAsync(Caller caller, string reference, string appName, CancellationToken ct)
    {
        var session = await sessions.FindAsync(caller, reference, ct);
        if (session.OwnerUserId != caller.UserId && !caller.IsAdmin)
            throw Problem.Forbidden("app-owner-only", $"Only the owner of session '{session.Name}' may close its apps.", "session").ToException();
        var app = FindApp(session, appName);
        return proxy.Close(session.Id, app.Name);
    }

    /// <summary>
    /// Has the agent start an on-demand image service that does not answer yet, then waits (bounded) until it does.
    /// Returns a note when it did not answer in time.
    /// </summary>
    private async Task<string?> StartServiceAsync(SessionEntity session, AppDto app, CancellationToken ct)
    {
        var probe = new AppGrant("", "", session.Id, session.OwnerUserId, app.Name, app.Kind, app.ContainerPort, false);
        var agent = agents.Find(session.AgentId ?? "")
                    ?? throw new Problem(503, "agent-unavailable", $"The agent running session '{session.Name}' is not reachable.").ToException();
        var (target, problem) = await proxy.ResolveTargetAsync(probe, session, ct);
        if (problem is not null)
        {
            // Not reachable from here (e.g. an agent on another host): start it anyway; a second start is harmless.
            await agent.StartServiceAsync(session.ContainerId!, app.Name, app.Command!, ct);
            return $"App {app.Name} was started; the manager cannot check that it answers ({problem.Rule}).";
        }
        if (await proxy.AnswersAsync(target!, ct)) return null;
        await agent.StartServiceAsync(session.ContainerId!, app.Name, app.Command!, ct);
        var timeout = listenerOptions.Value.ServiceStartTimeout;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(300, ct);
            if (await proxy.AnswersAsync(target!, ct)) return null;
        }
        return $"App {app.Name} was started but did not answer within {timeout.TotalSeconds:0} s; it may still be starting (its log is /tmp/berth-service-{app.Name}.log in the session).";
    }

    private static AppDto FindApp(SessionEntity session, string appName)
    {
        var apps = SessionApps.ReadWithBuiltIns(session.AppsJson);
        return apps.FirstOrDefault(a => a.Name == appName)
               ?? (int.TryParse(appName, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? apps.FirstOrDefault(a => a.ContainerPort == port && port > 0) : null)
               ?? throw Problem.NotFound("app-not-found",
                   $"Session '{session.Name}' has no app '{appName}'" + (apps.Count == 0
                       ? "; it has none (start one with --preopen PORT)."
                       : $"; it has {string.Join(", ", apps.Select(a => a.Name))}."), "app").ToException();
    }

    /// <summary>The app's host name on the manager's own scheme and port, as the caller reached the manager.</summary>
    private static string HostUrl(string baseUrl, string hostName)
    {
        var manager = new Uri(baseUrl);
        return manager.IsDefaultPort
            ? $"{manager.Scheme}://{hostName}/"
            : $"{manager.Scheme}://{hostName}:{manager.Port.ToString(CultureInfo.InvariantCulture)}/";
    }

    private static string HostForUrl(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
}
