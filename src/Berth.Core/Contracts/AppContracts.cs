namespace Berth.Core.Contracts;

/// <summary>One app of a session: a container port the app proxy can reach.</summary>
/// <param name="Name">What to pass to <c>berth app</c>: the image's service name, or <c>port-N</c> for a preopen port.</param>
/// <param name="Kind"><c>service</c> (declared by the image) or <c>preopen</c> (asked for at create).</param>
public sealed record AppDto(string Name, string Protocol, int ContainerPort, string Kind);

/// <param name="Public">Reachable by anyone who has the URL, without the owner's secret.</param>
/// <param name="PreferredPort">Accepted for Backend.AI compatibility; Berth serves every app under the manager's own address (docs/apps.md).</param>
public sealed record OpenAppRequest(bool? Public = null, int? PreferredPort = null);

/// <param name="Url">Where the app is served. For a non-public app it carries the one-time <c>berth_auth</c> secret.</param>
/// <param name="Token">The proxy path's id (<c>/proxy/{Token}/</c>).</param>
public sealed record OpenAppResponse(string Url, string Token, string App, int ContainerPort, bool Public, string? Note = null);
