using Berth.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Berth.Web.Components.Sessions;

/// <summary>Opening what the manager hands out (apps, the terminal page) in a browser tab of its own.</summary>
public static class BrowserTabs
{
    /// <summary>
    /// <c>window.open</c> with <c>noopener</c> (and <c>noreferrer</c>): the app's page gets no handle on the console's
    /// window, and the console's address is not sent to it. The browser may still block the tab (the click's user
    /// activation can have expired while the manager started the app), so callers also show the address as a link.
    /// </summary>
    public static ValueTask OpenInNewTabAsync(this IJSRuntime js, string url) => js.InvokeVoidAsync("open", url, "_blank", "noopener,noreferrer");

    /// <summary>The API's address for this browser (<see cref="BrowserUrls.ForBrowser"/>).</summary>
    public static string ForBrowser(this NavigationManager navigation, ManagerConnection manager, string url) =>
        BrowserUrls.ForBrowser(url, manager.Endpoint, new Uri(navigation.BaseUri));
}
