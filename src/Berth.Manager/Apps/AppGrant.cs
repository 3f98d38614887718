using Berth.Core.Apps;
using Berth.Manager.Data;

namespace Berth.Manager.Apps;

/// <summary>
/// One opened app: what <c>/proxy/{Token}/</c> (and its own port or host name, when it has one) leads to and who may use it.
/// </summary>
public sealed class AppGrant(string token, string secret, Guid sessionId, Guid ownerId, string app, string kind, int containerPort, bool isPublic)
{
    public string Token { get; } = token;
    /// <summary>Exchanged for the HttpOnly cookie; proves the bearer got the URL from the owner's <c>open</c>.</summary>
    public string Secret { get; } = secret;
    public Guid SessionId { get; } = sessionId;
    public Guid OwnerId { get; } = ownerId;
    public string App { get; } = app;
    /// <summary>The app's kind (<c>service</c>, <c>preopen</c>, …): what an <see cref="IAppHandler"/> looks at.</summary>
    public string Kind { get; } = kind;
    public int ContainerPort { get; } = containerPort;
    public bool Public { get; } = isPublic;
    /// <summary>The published host endpoint, looked up from the agent once and again after a failure.</summary>
    public volatile string? Target;
    /// <summary>The session as last read RUNNING, and when (<see cref="Environment.TickCount64"/>).</summary>
    internal volatile SessionEntity? Session;
    internal long SessionSeenAt;
    /// <summary>The manager host port serving this app at the root of its own origin, when the port pool gave it one.</summary>
    public int? Port { get; internal set; }
    /// <summary>The host name serving this app at the root of an origin of its own, when <c>Apps:HostPattern</c> is set.</summary>
    public string? HostName { get; internal set; }
    /// <summary>Whether the app has an address of its own (a port or a host name) that a re-open gives back.</summary>
    public bool HasOwnAddress => Port is not null || HostName is not null;
    /// <summary>Names the app's cookies on shared hosts (<see cref="AppCookieScope"/>): the same for every open of this app.</summary>
    public string CookieKey { get; } = AppCookieScope.KeyFor(sessionId, app);
}
