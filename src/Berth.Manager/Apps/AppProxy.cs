using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Accounts;
using Berth.Core.Agents;
using Berth.Core.Apps;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Data;
using Berth.Manager.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Manager.Apps;

/// <summary>
/// The app proxy: <c>/proxy/{token}/**</c>, the root of each app's own port from the pool (<see cref="AppListeners"/>)
/// and the root of each app's own host name (<see cref="AppHostRouting"/>) are forwarded (HTTP and WebSocket, by YARP's <see cref="IHttpForwarder"/>) to the session's container port as
/// published on the agent host's loopback. The entry points share one pipeline (<see cref="ServeGrantAsync"/>): the origin
/// check, authentication, the running check, metering, forwarding with Berth's credentials and other apps' cookies taken out.
/// Grants live in this manager's memory: a restart (or another manager behind the same address) forgets them.
/// </summary>
public sealed class AppProxy(IHttpForwarder forwarder, IServiceScopeFactory scopes, IAgentDirectory agents, SessionTrafficMeter meter,
    IEnumerable<IAppHandler> handlers, ILogger<AppProxy> log)
{
    public const string AuthParameter = "berth_auth";
    public const string CookieName = "berth_auth";
    private const long SessionRecheckMs = 1000;

    private readonly IAppHandler[] _handlers = handlers.ToArray();
    private readonly ConcurrentDictionary<string, AppGrant> _grants = new(StringComparer.Ordinal);

    /// <summary>Called with the grants that were dropped (their session ended or they were closed): their ports go back to the pool.</summary>
    public event Action<IReadOnlyList<AppGrant>>? Revoked;

    // One pool of connections to the apps: no proxy, no decompression, no cookies of its own, no tracing headers.
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
    });

    public AppGrant Open(Guid sessionId, Guid ownerId, string app, string kind, int containerPort, bool isPublic)
    {
        var grant = new AppGrant(NewId(), NewId(), sessionId, ownerId, app, kind, containerPort, isPublic);
        _grants[grant.Token] = grant;
        return grant;
    }

    /// <summary>An open grant of the same app of the same session, public or not as asked, that has a port or host name of its own.</summary>
    public AppGrant? FindReusable(Guid sessionId, string app, bool isPublic) =>
        _grants.Values.FirstOrDefault(g => g.SessionId == sessionId && g.App == app && g.Public == isPublic && g.HasOwnAddress);

    public IReadOnlyList<AppGrant> GrantsOf(Guid sessionId) => _grants.Values.Where(g => g.SessionId == sessionId).ToList();

    public IReadOnlyCollection<Guid> SessionsWithGrants => _grants.Values.Select(g => g.SessionId).Distinct().ToList();

    /// <summary>A random 128-bit id in lowercase hex.</summary>
    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string PathOf(string token) => "/proxy/" + token;

    /// <summary>The cookie a port listener sets: browsers do not tell ports apart for cookies, so each port has its own name.</summary>
    public static string CookieNameFor(int port) => CookieName + "_" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Entry point of the path-based proxy (<c>/proxy/{token}/**</c> on the manager's own address).</summary>
    public async Task ServePathAsync(HttpContext context)
    {
        var token = context.GetRouteValue("token") as string ?? "";
        if (!_grants.TryGetValue(token, out var grant))
        {
            await WriteAsync(context, NotOpen());
            return;
        }
        // The app's own answers (an empty 404 of its own) are not the manager's to rewrite into "no API endpoint".
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        var prefix = context.Request.PathBase + PathOf(token);
        context.Request.Path.StartsWithSegments(PathOf(token), out var remaining);
        if (!remaining.HasValue)
        {
            // /proxy/{token} → /proxy/{token}/ so that the app's relative links resolve under the prefix.
            context.Response.Redirect(prefix + "/" + context.Request.QueryString);
            return;
        }
        // One origin (the manager's) for every path URL: app cookies are renamed per app and kept under the prefix.
        await ServeGrantAsync(context, grant, new AppEntry(prefix, remaining, CookieName, AppCookieScope.Renamed(grant.CookieKey, prefix)));
    }

    /// <summary>Entry point of an app's own port: the whole path is the app's.</summary>
    public async Task ServePortAsync(HttpContext context, string token, int port)
    {
        if (!_grants.TryGetValue(token, out var grant))
        {
            await WriteAsync(context, NotOpen());
            return;
        }
        // Browsers send a host's cookies to all its ports: app cookies are renamed per app.
        await ServeGrantAsync(context, grant, new AppEntry(PathString.Empty, RootPath(context), CookieNameFor(port), AppCookieScope.Renamed(grant.CookieKey)));
    }

    /// <summary>Entry point of an app's own host name (<c>Apps:HostPattern</c>), on the manager's own listener.</summary>
    public async Task ServeHostAsync(HttpContext context, string token)
    {
        if (!_grants.TryGetValue(token, out var grant) || grant.HostName is null)
        {
            await WriteAsync(context, NotOpen());
            return;
        }
        // An origin of its own: the browser keeps every other site's cookies from it, so the app's keep their names.
        await ServeGrantAsync(context, grant, new AppEntry(PathString.Empty, RootPath(context), CookieName, AppCookieScope.OwnOrigin()));
    }

    private static PathString RootPath(HttpContext context) => context.Request.Path.HasValue ? context.Request.Path : new PathString("/");

    /// <summary>How a request reached an app.</summary>
    /// <param name="Prefix">What the client's path starts with before the app's own path (empty at the root of an origin of the app's own).</param>
    /// <param name="Path">The app's own path, forwarded as is.</param>
    /// <param name="AuthCookie">The proxy's login cookie there (port-specific on a port, since ports share cookies).</param>
    /// <param name="Cookies">Which of the browser's cookies the app gets, and what becomes of the ones it sets.</param>
    private sealed record AppEntry(PathString Prefix, PathString Path, string AuthCookie, AppCookieScope Cookies);

    private static Problem NotOpen() => Problem.NotFound("app-not-open",
        "No app is open at this address (it was never opened, its session ended, or the manager restarted); open it again with `berth app`.");

    /// <summary>
    /// The shared pipeline: the origin check (<see cref="AppOriginCheck"/>), authentication (public, owner/admin by HMAC,
    /// the URL's secret → HttpOnly cookie, the cookie), the session's RUNNING check, then a manager-side
    /// <see cref="IAppHandler"/> or the forward to the container port.
    /// </summary>
    private async Task ServeGrantAsync(HttpContext context, AppGrant grant, AppEntry entry)
    {
        if (await AppOriginCheck.RefusedAsync(context, grant, log)) return;
        var (prefix, path, cookieName) = (entry.Prefix, entry.Path, entry.AuthCookie);
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value);
        var given = query.TryGetValue(AuthParameter, out var v) ? v.ToString() : null;
        if (!grant.Public && !IsOwnerOrAdmin(context, grant))
        {
            if (given is not null && Same(given, grant.Secret))
            {
                context.Response.Cookies.Append(cookieName, grant.Secret, new CookieOptions
                {
                    Path = prefix.HasValue ? prefix.Value : "/", HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true,
                });
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    // The secret leaves the address bar (and the app's logs): from here on the cookie carries it.
                    context.Response.Redirect(prefix + path.ToUriComponent() + Without(query, AuthParameter));
                    return;
                }
            }
            else if (!(context.Request.Cookies.TryGetValue(cookieName, out var cookie) && Same(cookie, grant.Secret)))
            {
                await WriteAsync(context, new Problem(401, "app-auth-required",
                    $"App {grant.App} is private to its session's owner: open it with the URL `berth app` printed (it carries ?{AuthParameter}=…), or open it --public."));
                return;
            }
        }

        // The session's row is read at most once a second per grant: a database query per proxied request would
        // cost more than the forward itself. A session that stops is revoked at once through its events anyway.
        var session = grant.Session is { } seen && Environment.TickCount64 - grant.SessionSeenAt < SessionRecheckMs ? seen : null;
        if (session is null)
        {
            session = await FindSessionAsync(grant.SessionId, context.RequestAborted);
            if (session is not { Status: SessionStatus.Running, ContainerId: not null, AgentId: not null })
            {
                Revoke(grant.SessionId);
                await WriteAsync(context, Problem.NotFound("app-not-open", "The session of this app is no longer running."));
                return;
            }
            grant.Session = session;
            grant.SessionSeenAt = Environment.TickCount64;
        }
        if (!_grants.ContainsKey(grant.Token))
        {
            await WriteAsync(context, NotOpen());
            return;
        }

        void Record(long bytesIn, long bytesOut) => meter.Record(grant.SessionId, bytesIn, bytesOut);
        Record(0, 0);
        context.Request.Body = new MeteredStream(context.Request.Body, Record);
        context.Response.Body = new MeteredStream(context.Response.Body, Record);
        if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
            context.Features.Set<IHttpUpgradeFeature>(new MeteredUpgradeFeature(upgrade, Record));

        foreach (var handler in _handlers)
        {
            if (!handler.Handles(grant)) continue;
            await handler.ServeAsync(context, grant, session, path);
            return;
        }

        var (target, problem) = await ResolveTargetAsync(grant, session, context.RequestAborted);
        if (problem is not null)
        {
            await WriteAsync(context, problem);
            return;
        }
        var error = await forwarder.SendAsync(context, "http://" + target, _client, ForwarderRequestConfig.Empty,
            // The session's app token for its own web services (AppUpstreamCredentials.cs): only past the checks above.
            context.RequestServices.GetRequiredService<AppUpstreamCredentials>().Wrap(new AppForwardTransformer(path, Without(query, AuthParameter), entry.Cookies), grant));
        if (error != ForwarderError.None)
        {
            grant.Target = null; // the container may have been recreated; ask the agent again next time
            if (!context.Response.HasStarted)
                await WriteAsync(context, new Problem(502, "app-unreachable",
                    $"Nothing answered on port {grant.ContainerPort} in the session ({error}); is the app's server running and listening on 0.0.0.0?"));
        }
    }

    /// <summary>Where the app's container port is published (<c>127.0.0.1:49153</c>), asking the agent the first time.</summary>
    public async Task<(string? Target, Problem? Problem)> ResolveTargetAsync(AppGrant grant, SessionEntity session, CancellationToken ct)
    {
        if (grant.Target is { } known) return (known, null);
        var agent = session.AgentId is null ? null : agents.Find(session.AgentId);
        if (agent is null || session.ContainerId is null)
            return (null, new Problem(503, "agent-unavailable", $"The agent running the session of app {grant.App} is not reachable."));
        if (agent is Agents.RemoteAgentControl remote && !remote.ControlUrl.IsLoopback)
        {
            // Its ports are on its own host's loopback: 127.0.0.1 here would be some other program.
            return (null, new Problem(502, "app-remote-agent",
                $"App {grant.App} runs on agent {remote.AgentId} on another host; the app proxy reaches only agents on the manager's host so far (docs/apps.md)."));
        }
        var ports = await agent.InspectPortsAsync(session.ContainerId, ct);
        if (!ports.TryGetValue(grant.ContainerPort, out var target))
            return (null, new Problem(502, "app-port-not-published",
                $"Port {grant.ContainerPort} of the session is not published (sessions started before apps existed publish nothing)."));
        grant.Target = target;
        return (target, null);
    }

    /// <summary>Whether something answers HTTP at the app's published port (any status counts: the server is up).</summary>
    public async Task<bool> AnswersAsync(string target, CancellationToken ct)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        probe.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://" + target + "/");
            using var response = await _client.SendAsync(request, probe.Token);
            return true;
        }
        catch (HttpRequestException) { return false; }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
    }

    private static bool IsOwnerOrAdmin(HttpContext context, AppGrant grant)
    {
        if (context.User.Identity?.IsAuthenticated != true) return false;
        if (Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) && id == grant.OwnerId) return true;
        return UserRoles.TryParse(context.User.FindFirstValue(ClaimTypes.Role), out var role) && role.IsAdmin();
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static QueryString Without(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name)
    {
        var builder = new QueryBuilder();
        foreach (var (key, values) in query)
            if (key != name)
                foreach (var value in values) builder.Add(key, value ?? "");
        return builder.ToQueryString();
    }

    private async Task<SessionEntity?> FindSessionAsync(Guid id, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
    }

    /// <summary>Forgets every grant of a session (it ended); their ports go back to the pool.</summary>
    public void Revoke(Guid sessionId) => Remove(g => g.SessionId == sessionId);

    /// <summary>Forgets the grants of one app of a session (<c>berth app --close</c>); returns how many there were.</summary>
    public int Close(Guid sessionId, string app) => Remove(g => g.SessionId == sessionId && g.App == app);

    /// <summary>Forgets one grant (its port could not be had).</summary>
    public void Close(AppGrant grant) => Remove(g => ReferenceEquals(g, grant));

    private int Remove(Func<AppGrant, bool> which)
    {
        var removed = new List<AppGrant>();
        foreach (var (token, grant) in _grants)
            if (which(grant) && _grants.TryRemove(token, out _)) removed.Add(grant);
        if (removed.Count > 0) Revoked?.Invoke(removed);
        return removed.Count;
    }

    internal static async Task WriteAsync(HttpContext context, Problem problem)
    {
        context.Response.StatusCode = problem.Status;
        await ProblemResponses.ToResult(problem).ExecuteAsync(context);
    }
}
