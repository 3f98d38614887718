using System.Net;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 5 (apps): preopen ports, the apps list and the app proxy, through the CLI and a plain HTTP client.</summary>
[Collection(BerthCollection.Name)]
public class AppProxyTests(BerthFixture berth)
{
    [Fact]
    public async Task A_preopened_port_is_served_through_the_proxy_to_its_owner_and_when_public_to_anyone()
    {
        var (_, user) = await berth.NewUserAsync("apps");
        var name = BerthFixture.UniqueName("app");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--preopen", "8080", "--wait"));
        await ExecAsync(user, name, "sh", "-c", "mkdir -p /tmp/www && echo hello > /tmp/www/index.html && httpd -p 8080 -h /tmp/www");

        var apps = Json(await user.RunAsync("session", "apps", name, "--json")).EnumerateArray().ToList();
        var app = Assert.Single(apps, a => a.GetProperty("name").GetString() == "port-8080");
        Assert.Equal(8080, app.GetProperty("containerPort").GetInt32());
        Assert.Equal("preopen", app.GetProperty("kind").GetString());
        Assert.Contains("port-8080", Succeeded(await user.RunAsync("session", "apps", name)).Stdout);

        var url = Json(await user.RunAsync("app", name, "port-8080", "--json")).GetProperty("url").GetString()!;
        Assert.Contains("/proxy/", url);
        Assert.Contains("berth_auth=", url);

        // With the secret: the proxy swaps it for a cookie and the app answers.
        using (var browser = Browser())
            Assert.Equal("hello\n", await GetTextAsync(browser, url));

        // Without it: refused, in problem+json.
        var bare = url[..url.IndexOf('?')];
        using (var stranger = Browser())
        {
            using var refused = await stranger.GetAsync(bare);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("app-auth-required", await refused.Content.ReadAsStringAsync());
            using var wrong = await stranger.GetAsync(bare + "?berth_auth=0123");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Opened --public: anyone with the URL.
        var open = Succeeded(await user.RunAsync("app", name, "port-8080", "--public")).Stdout.Trim();
        Assert.DoesNotContain("berth_auth", open);
        using (var anyone = Browser())
            Assert.Equal("hello\n", await GetTextAsync(anyone, open));

        FailedWith(await user.RunAsync("app", name, "port-9999"), "app-not-found");
        var (_, other) = await berth.NewUserAsync("apps-other");
        FailedWith(await other.RunAsync("app", name, "port-8080"), "session-not-found");

        await DestroyAsync(user, name);
        using (var late = Browser())
        {
            using var gone = await late.GetAsync(open);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("app-not-open", await gone.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("0", "preopen-port-out-of-range")]
    [InlineData("80", "preopen-port-out-of-range")]
    [InlineData("70000", "preopen-port-out-of-range")]
    [InlineData("8080,8080", "preopen-duplicate")]
    [InlineData("8000,8001,8002,8003,8004,8005,8006,8007,8008,8009,8010", "preopen-too-many")]
    [InlineData("2000", "preopen-port-reserved")]
    public async Task Invalid_preopen_ports_are_refused_with_their_rule(string ports, string rule)
    {
        var result = FailedWith(await berth.Admin.RunAsync("session", "create", "minimal", "-t", BerthFixture.UniqueName("bad"), "--preopen", ports), rule);
        Assert.Contains("preopenPorts", result.Stderr);
    }

    [Fact]
    public async Task A_python_http_server_is_served_through_the_proxy()
    {
        Assert.True(berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        var (_, user) = await berth.NewUserAsync("pyapp");
        var name = BerthFixture.UniqueName("pyapp");
        Succeeded(await user.RunAsync("session", "create", "python", "-t", name, "--preopen", "8080", "--wait"));
        await ExecAsync(user, name, "sh", "-c",
            "mkdir -p /tmp/site && echo from-python > /tmp/site/hi.txt && cd /tmp/site && (python3 -m http.server 8080 >/dev/null 2>&1 &)");
        var url = Succeeded(await user.RunAsync("app", name, "8080")).Stdout.Trim();
        var withFile = url.Replace("/?", "/hi.txt?", StringComparison.Ordinal);
        using (var browser = Browser())
            Assert.Equal("from-python\n", await GetTextAsync(browser, withFile));
        await DestroyAsync(user, name);
    }

    private static HttpClient Browser() =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The server in the session was just started in the background: give it a moment to listen.</summary>
    private static async Task<string> GetTextAsync(HttpClient http, string url)
    {
        HttpResponseMessage? last = null;
        for (var i = 0; i < 50; i++)
        {
            last?.Dispose();
            last = await http.GetAsync(url);
            if (last.StatusCode == HttpStatusCode.OK) break;
            if (last.StatusCode != HttpStatusCode.BadGateway) break;
            await Task.Delay(200);
        }
        using var response = last!;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return body;
    }
}
