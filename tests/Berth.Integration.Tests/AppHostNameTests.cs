using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 10: with <c>Apps:HostPattern</c> each opened app is served on a host name of its own by the manager's own
/// listener (an origin of its own), and only there. <c>*.localhost</c> is loopback to browsers and curl; this client
/// dials 127.0.0.1 for every name, as they do.
/// </summary>
[Collection(BerthCollection.Name)]
public class AppHostNameTests
{
    private const string Pattern = "{token}.apps.localhost";

    [Fact]
    public async Task Each_app_is_served_on_its_own_host_name_and_not_on_another_apps()
    {
        await using var database = await TestDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Apps:HostPattern"] = Pattern };
        var data = Directory.CreateTempSubdirectory("berth-hosts-").FullName;
        var server = await ServerProcess.StartAsync(data, settings);
        try
        {
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            using (var client = BerthFixture.ClientFor(server.Endpoint, admin))
                await client.ImportImageAsync(new Berth.Core.Contracts.ImportImageRequest(TestDocker.MinimalReference, "minimal"));
            var name = BerthFixture.UniqueName("hosts");
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", name, "--preopen", "8080,8081", "--wait"));
            await ExecAsync(admin, name, "sh", "-c",
                "mkdir -p /tmp/a /tmp/b && echo app-a > /tmp/a/index.html && echo app-b > /tmp/b/index.html && httpd -p 8080 -h /tmp/a && httpd -p 8081 -h /tmp/b");

            var a = Json(await admin.RunAsync("app", name, "port-8080", "--json"));
            var b = Json(await admin.RunAsync("app", name, "port-8081", "--json"));
            var urlA = a.GetProperty("url").GetString()!;
            var urlB = b.GetProperty("url").GetString()!;
            Assert.Matches($@"^http://[0-9a-f]{{32}}\.apps\.localhost:{server.Port}/\?berth_auth=[0-9a-f]{{32}}$", urlA);
            Assert.Equal(JsonValueKind.Null, a.GetProperty("port").ValueKind);
            Assert.StartsWith($"http://{a.GetProperty("token").GetString()}.apps.localhost:", urlA);
            var rootA = urlA[..urlA.IndexOf('?')];
            var rootB = urlB[..urlB.IndexOf('?')];
            Assert.NotEqual(new Uri(rootA).Host, new Uri(rootB).Host);
            // Opening it again gives the same address back.
            Assert.Equal(urlA, Json(await admin.RunAsync("app", name, "port-8080", "--json")).GetProperty("url").GetString());

            // Each app's secret becomes a cookie of that host, and each host serves its own app.
            var cookies = new CookieContainer();
            using (var browser = Loopback(cookies))
            {
                Assert.Equal("app-a\n", await GetTextAsync(browser, urlA));
                Assert.Equal("app-b\n", await GetTextAsync(browser, urlB));
                // On an app's host everything is the app's: not the manager's API.
                using var health = await browser.GetAsync(rootA + "health");
                Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
                Assert.DoesNotContain("\"version\"", await health.Content.ReadAsStringAsync());
            }
            var cookieA = Assert.Single(cookies.GetCookies(new Uri(rootA))).ToString();
            Assert.StartsWith("berth_auth=", cookieA);
            Assert.DoesNotContain(cookies.GetCookies(new Uri(rootB)), c => c.Name == "berth_auth" && c.Value == cookieA["berth_auth=".Length..]);

            using var plain = Loopback(null);
            // A's cookie opens A, not B.
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(plain, HttpMethod.Get, rootA, cookieA, origin: null));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(plain, HttpMethod.Get, rootB, cookieA, origin: null));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(plain, HttpMethod.Get, rootA, null, origin: null));
            // A page of B cannot write to A; A's own page can (the app answers what it answers to a POST).
            var originB = new Uri(rootB).GetLeftPart(UriPartial.Authority);
            using (var refused = await SendAsync(plain, HttpMethod.Post, rootA, cookieA, originB))
            {
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Contains("app-origin-refused", await refused.Content.ReadAsStringAsync());
            }
            using (var own = await SendAsync(plain, HttpMethod.Post, rootA, cookieA, new Uri(rootA).GetLeftPart(UriPartial.Authority)))
                Assert.DoesNotContain("app-origin-refused", await own.Content.ReadAsStringAsync());

            // A host name of the pattern that no app holds, and the manager's own address, are not apps.
            using (var none = await plain.GetAsync($"http://{new string('0', 32)}.apps.localhost:{server.Port}/"))
            {
                Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
                Assert.Contains("app-not-open", await none.Content.ReadAsStringAsync());
            }
            using (var health = await plain.GetAsync(new Uri(server.Endpoint, "/health")))
                Assert.Contains("\"version\"", await health.Content.ReadAsStringAsync());

            // Closed: its host name serves nothing any more.
            Succeeded(await admin.RunAsync("app", name, "port-8080", "--close"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(plain, HttpMethod.Get, rootA, cookieA, origin: null));
            await DestroyAsync(admin, name);
        }
        finally
        {
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(server.AgentId);
            BerthFixture.TryDelete(data);
        }
    }

    [Fact]
    public async Task A_host_pattern_without_its_token_in_the_leftmost_label_stops_the_server_at_start()
    {
        var data = Directory.CreateTempSubdirectory("berth-hosts-bad-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Apps:HostPattern"] = "apps.{token}.example.org" };
            var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(data, settings));
            Assert.Contains("Apps:HostPattern", failed.Message);
            Assert.Contains("leftmost label", failed.Message);
        }
        finally
        {
            BerthFixture.TryDelete(data);
        }
    }

    /// <summary>An HTTP client that reaches every host name at 127.0.0.1, as browsers and curl do for <c>*.localhost</c>.</summary>
    private static HttpClient Loopback(CookieContainer? cookies) => new(new SocketsHttpHandler
    {
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        AllowAutoRedirect = true,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { Timeout = TimeSpan.FromSeconds(20) };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, string? cookie, string? origin)
    {
        using var request = new HttpRequestMessage(method, url);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await http.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string url, string? cookie, string? origin)
    {
        using var response = await SendAsync(http, method, url, cookie, origin);
        return response.StatusCode;
    }

    /// <summary>busybox httpd was just started in the background: give it a moment to listen.</summary>
    private static async Task<string> GetTextAsync(HttpClient http, string url)
    {
        for (var i = 0; ; i++)
        {
            using var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK) return body;
            if (response.StatusCode != HttpStatusCode.BadGateway || i >= 50) Assert.Fail($"GET {url}: {(int)response.StatusCode} {body}");
            await Task.Delay(200);
        }
    }
}
