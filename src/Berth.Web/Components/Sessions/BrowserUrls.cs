namespace Berth.Web.Components.Sessions;

/// <summary>
/// Addresses the manager hands out (app URLs, terminal tickets) as the signed-in browser can reach them. The manager
/// builds them from the host the console called it by; inside <c>berth server</c> that is the loopback address
/// (<c>127.0.0.1</c>), which is right for a browser on the same machine and wrong for any other. Then the host the
/// browser used for the console is put in its place: the manager, its app ports and the console are one process there,
/// so the browser reaches them all by the same host.
/// </summary>
public static class BrowserUrls
{
    /// <param name="url">An absolute address from the API.</param>
    /// <param name="manager">The manager address the console calls (<c>WebOptions.Manager</c>).</param>
    /// <param name="console">The console's address as the browser sees it (<c>NavigationManager.BaseUri</c>).</param>
    public static string ForBrowser(string url, Uri manager, Uri console)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target)) return url;
        if (!manager.IsLoopback || !target.IsLoopback || console.IsLoopback) return url;
        if (!string.Equals(target.Host, manager.Host, StringComparison.OrdinalIgnoreCase)) return url;
        return new UriBuilder(target) { Host = console.Host }.Uri.AbsoluteUri;
    }
}
