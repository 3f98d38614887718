using Berth.Web.Components.Sessions;

namespace Berth.Web.Tests;

/// <summary>The manager's addresses as the browser reaches them (no browser needed: a pure rule).</summary>
public sealed class BrowserUrlsTests
{
    private static readonly Uri Loopback = new("http://127.0.0.1:8090");

    [Fact]
    public void Inside_berth_server_a_remote_browser_gets_its_own_host_with_the_apps_port_and_secret()
    {
        var url = BrowserUrls.ForBrowser("http://127.0.0.1:10250/?berth_auth=ab12", Loopback, new Uri("http://berth.example:8090/"));
        Assert.Equal("http://berth.example:10250/?berth_auth=ab12", url);
    }

    [Theory]
    // A browser on the manager's own machine: the loopback address is right.
    [InlineData("http://127.0.0.1:10250/?berth_auth=ab12", "http://127.0.0.1:8090", "http://localhost:8090/")]
    // A manager elsewhere (`berth web`): its address is what the browser reaches too.
    [InlineData("http://manager.example:10250/", "http://manager.example:8090", "http://console.example/")]
    // Host names per app (Apps:HostPattern) are the manager's to choose.
    [InlineData("http://a1b2.apps.example:8090/", "http://127.0.0.1:8090", "http://berth.example:8090/")]
    public void Other_addresses_are_left_as_the_manager_gave_them(string given, string manager, string console) =>
        Assert.Equal(given, BrowserUrls.ForBrowser(given, new Uri(manager), new Uri(console)));
}
