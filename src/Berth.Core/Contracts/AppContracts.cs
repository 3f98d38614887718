namespace Berth.Core.Contracts;

/// <summary>One app of a session: a container port the app proxy can reach.</summary>
/// <param name="Name">What to pass to <c>berth app</c>: the image's service name, or <c>port-N</c> for a preopen port.</param>
/// <param name="Kind"><c>service</c> (declared by the image) or <c>preopen</c> (asked for at create).</param>
/// <param name="Command">For a service the image starts on demand: the shell command line the manager has the agent run
/// (detached, as the session user) when the app is opened and does not answer yet. Null otherwise.</param>
public sealed record AppDto(string Name, string Protocol, int ContainerPort, string Kind, string? Command = null);

/// <param name="Public">Reachable by anyone who has the URL, without the owner's secret.</param>
/// <param name="PreferredPort">The manager host port to serve the app on, when it is in the app port pool
/// (<c>Apps:PortRange</c>) and free; otherwise another free port of the pool is used and <c>Note</c> says so.</param>
public sealed record OpenAppRequest(bool? Public = null, int? PreferredPort = null);

/// <param name="Url">Where the app is served: <c>http://HOST:PORT/</c> (an origin of its own) when the app port pool is on,
/// else the path-based URL. For a non-public app it carries the one-time <c>berth_auth</c> secret.</param>
/// <param name="Token">The proxy path's id (<c>/proxy/{Token}/</c>).</param>
/// <param name="PathUrl">The path-based URL under the manager's own address (<c>/proxy/{Token}/</c>), which always works.</param>
/// <param name="Port">The manager host port serving the app, or null when the pool is off.</param>
public sealed record OpenAppResponse(string Url, string Token, string App, int ContainerPort, bool Public, string? Note = null,
    string? PathUrl = null, int? Port = null);

/// <param name="Closed">How many opened URLs of the app stopped working (their ports went back to the pool).</param>
public sealed record CloseAppResponse(int Closed);
