using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Agents;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Data;
using Berth.Manager.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Manager.Apps;

/// <summary>One opened app: what <c>/proxy/{Token}/</c> leads to and who may use it.</summary>
public sealed class AppGrant(string token, string secret, Guid sessionId, Guid ownerId, string app, int containerPort, bool isPublic)
{
    public string Token { get; } = token;
    /// <summary>Exchanged for the HttpOnly cookie; proves the bearer got the URL from the owner's <c>open</c>.</summary>
    public string Secret { get; } = secret;
    public Guid SessionId { get; } = sessionId;
    public Guid OwnerId { get; } = ownerId;
    public string App { get; } = app;
    public int ContainerPort { get; } = containerPort;
    public bool Public { get; } = isPublic;
    /// <summary>The published host endpoint, looked up from the agent once and again after a failure.</summary>
    public volatile string? Target;
}

/// <summary>
/// The app proxy: <c>/proxy/{token}/**</c> is forwarded (HTTP and WebSocket, by YARP's <see cref="IHttpForwarder"/>)
/// to the session's container port as published on the agent host's loopback, with the prefix stripped.
/// Grants live in this manager's memory: a restart (or another manager behind the same address) forgets them.
/// </summary>
public sealed class AppProxy(IHttpForwarder forwarder, IServiceScopeFactory scopes, IAgentDirectory agents, SessionTrafficMeter meter)
{
    public const string AuthParameter = "berth_auth";
    public const string CookieName = "berth_auth";

    private readonly ConcurrentDictionary<string, AppGrant> _grants = new(StringComparer.Ordinal);

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        EnableMultipleHttp2Connections = true,
    });

    public AppGrant Open(Guid sessionId, Guid ownerId, string app, int containerPort, bool isPublic)
    {
        var grant = new AppGrant(NewId(), NewId(), sessionId, ownerId, app, containerPort, isPublic);
        _grants[grant.Token] = grant;
        return grant;
    }

    /// <summary>A random 128-bit id in lowercase hex.</summary>
    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string PathOf(string token) => "/proxy/" + token;

    public async Task ServeAsync(HttpContext context)
    {
        var token = context.GetRouteValue("token") as string ?? "";
        if (!_grants.TryGetValue(token, out var grant))
        {
            await WriteAsync(context, Problem.NotFound("app-not-open", "No app is open at this address (it was never opened, its session ended, or the manager restarted); open it again with `berth app`."));
            return;
        }
        var prefix = PathOf(token);
        context.Request.Path.StartsWithSegments(prefix, out var remaining);
        if (!remaining.HasValue)
        {
            // /proxy/{token} → /proxy/{token}/ so that the app's relative links resolve under the prefix.
            context.Response.Redirect(context.Request.PathBase + prefix + "/" + context.Request.QueryString);
            return;
        }

        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value);
        var given = query.TryGetValue(AuthParameter, out var v) ? v.ToString() : null;
        if (!grant.Public && !IsOwner(context, grant))
        {
            if (given is not null && Same(given, grant.Secret))
            {
                context.Response.Cookies.Append(CookieName, grant.Secret, new CookieOptions
                {
                    Path = context.Request.PathBase + prefix, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true,
                });
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    // The secret leaves the address bar (and the app's logs): from here on the cookie carries it.
                    context.Response.Redirect(context.Request.PathBase + prefix + remaining.ToUriComponent() + Without(query, AuthParameter));
                    return;
                }
            }
            else if (!(context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Same(cookie, grant.Secret)))
            {
                await WriteAsync(context, new Problem(401, "app-auth-required",
                    $"App {grant.App} is private to its session's owner: open it with the URL `berth app` printed (it carries ?{AuthParameter}=…), or open it --public."));
                return;
            }
        }

        var session = await FindSessionAsync(grant.SessionId, context.RequestAborted);
        if (session is not { Status: SessionStatus.Running, ContainerId: not null, AgentId: not null })
        {
            Revoke(grant.SessionId);
            await WriteAsync(context, Problem.NotFound("app-not-open", "The session of this app is no longer running."));
            return;
        }
        var target = grant.Target;
        if (target is null)
        {
            var agent = agents.Find(session.AgentId);
            if (agent is null)
            {
                await WriteAsync(context, new Problem(503, "agent-unavailable", $"The agent running the session of app {grant.App} is not reachable."));
                return;
            }
            if (agent is Agents.RemoteAgentControl remote && !remote.ControlUrl.IsLoopback)
            {
                // Its ports are on its own host's loopback: 127.0.0.1 here would be some other program.
                await WriteAsync(context, new Problem(502, "app-remote-agent",
                    $"App {grant.App} runs on agent {remote.AgentId} on another host; the app proxy reaches only agents on the manager's host so far (docs/apps.md)."));
                return;
            }
            var ports = await agent.InspectPortsAsync(session.ContainerId, context.RequestAborted);
            if (!ports.TryGetValue(grant.ContainerPort, out target))
            {
                await WriteAsync(context, new Problem(502, "app-port-not-published",
                    $"Port {grant.ContainerPort} of the session is not published (sessions started before apps existed publish nothing)."));
                return;
            }
            grant.Target = target;
        }

        void Record(long bytesIn, long bytesOut) => meter.Record(grant.SessionId, bytesIn, bytesOut);
        Record(0, 0);
        context.Request.Body = new MeteredStream(context.Request.Body, Record);
        context.Response.Body = new MeteredStream(context.Response.Body, Record);
        if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
            context.Features.Set<IHttpUpgradeFeature>(new MeteredUpgradeFeature(upgrade, Record));

        var error = await forwarder.SendAsync(context, "http://" + target, _client, ForwarderRequestConfig.Empty,
            new Transformer(remaining, Without(query, AuthParameter)));
        if (error != ForwarderError.None)
        {
            grant.Target = null; // the container may have been recreated; ask the agent again next time
            if (!context.Response.HasStarted)
                await WriteAsync(context, new Problem(502, "app-unreachable",
                    $"Nothing answered on port {grant.ContainerPort} in the session ({error}); is the app's server running and listening on 0.0.0.0?"));
        }
    }

    private static bool IsOwner(HttpContext context, AppGrant grant) =>
        context.User.Identity?.IsAuthenticated == true
        && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) && id == grant.OwnerId;

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

    /// <summary>Forgets every grant of a session (it ended).</summary>
    public void Revoke(Guid sessionId)
    {
        foreach (var (token, grant) in _grants)
            if (grant.SessionId == sessionId) _grants.TryRemove(token, out _);
    }

    private static async Task WriteAsync(HttpContext context, Problem problem)
    {
        context.Response.StatusCode = problem.Status;
        await ProblemResponses.ToResult(problem).ExecuteAsync(context);
    }

    /// <summary>Strips <c>/proxy/{token}</c> and the auth parameter; the app sees neither Berth's credentials nor its cookie.</summary>
    private sealed class Transformer(PathString path, QueryString query) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken ct)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, ct);
            proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, path, query);
            // Berth's own signature stays here; an Authorization header of the app's own scheme goes through.
            if (Berth.Core.Auth.RequestSignature.TryParseAuthorization(httpContext.Request.Headers.Authorization, out _, out _))
            {
                proxyRequest.Headers.Authorization = null;
                proxyRequest.Headers.Remove(Berth.Core.Auth.RequestSignature.DateHeader);
            }
            if (proxyRequest.Headers.TryGetValues("Cookie", out var cookies))
            {
                var kept = cookies.SelectMany(c => c.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    .Where(c => !c.StartsWith(CookieName + "=", StringComparison.Ordinal)).ToList();
                proxyRequest.Headers.Remove("Cookie");
                if (kept.Count > 0) proxyRequest.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
            }
        }
    }
}
