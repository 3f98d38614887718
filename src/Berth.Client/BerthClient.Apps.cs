using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    // ---- apps ----------------------------------------------------------------------------------------

    /// <summary>The session's apps: the image's service ports and the ports preopened at create.</summary>
    public Task<IReadOnlyList<AppDto>> ListAppsAsync(string session, CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<AppDto>>(HttpMethod.Get, SessionPath(session, "/apps"), null, ct);

    /// <summary>Opens an app through the manager's app proxy and returns its URL.</summary>
    public Task<OpenAppResponse> OpenAppAsync(string session, string app, OpenAppRequest request, CancellationToken ct = default) =>
        SendJsonAsync<OpenAppResponse>(HttpMethod.Post, SessionPath(session, "/apps/" + Uri.EscapeDataString(app) + "/open"), request, ct);

    /// <summary>Closes every opened URL of the app (they answer 404 from then on) and gives its ports back to the pool.</summary>
    public Task<CloseAppResponse> CloseAppAsync(string session, string app, CancellationToken ct = default) =>
        SendJsonAsync<CloseAppResponse>(HttpMethod.Post, SessionPath(session, "/apps/" + Uri.EscapeDataString(app) + "/close"), null, ct);
}
