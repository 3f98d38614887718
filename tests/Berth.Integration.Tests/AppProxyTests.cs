using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Core.Auth;
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

        var opened = Json(await user.RunAsync("app", name, "port-8080", "--json"));
        var url = opened.GetProperty("url").GetString()!;
        var port = opened.GetProperty("port").GetInt32();
        var pathUrl = opened.GetProperty("pathUrl").GetString()!;
        // The app has a port of its own from the pool; the path-based URL under the manager's address works too.
        Assert.StartsWith($"http://127.0.0.1:{port}/?berth_auth=", url);
        Assert.InRange(port, 10250, 10349);
        Assert.Contains("/proxy/", pathUrl);
        Assert.Contains("berth_auth=", pathUrl);

        // With the secret: the proxy swaps it for a cookie and the app answers.
        using (var browser = Browser())
            Assert.Equal("hello\n", await GetTextAsync(browser, url));
        using (var browser = Browser())
            Assert.Equal("hello\n", await GetTextAsync(browser, pathUrl));
        // Opening it again gives the same port and URL back.
        Assert.Equal(url, Json(await user.RunAsync("app", name, "port-8080", "--json")).GetProperty("url").GetString());

        // Without it: refused, in problem+json, on the app's port and under the path alike.
        foreach (var bare in new[] { url[..url.IndexOf('?')], pathUrl[..pathUrl.IndexOf('?')] })
        {
            using var stranger = Browser();
            using var refused = await stranger.GetAsync(bare);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("app-auth-required", await refused.Content.ReadAsStringAsync());
            using var wrong = await stranger.GetAsync(bare + "?berth_auth=0123");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        // Signed requests of the owner (scripts using the SDK) and of an admin get through without the secret; another user's do not.
        var root = url[..url.IndexOf('?')];
        Assert.Equal(HttpStatusCode.OK, await SignedGetAsync(user, root));
        Assert.Equal(HttpStatusCode.OK, await SignedGetAsync(berth.Admin, root));
        var (_, other) = await berth.NewUserAsync("apps-other");
        Assert.Equal(HttpStatusCode.Unauthorized, await SignedGetAsync(other, root));

        // Opened --public: anyone with the URL.
        var open = Succeeded(await user.RunAsync("app", name, "port-8080", "--public")).Stdout.Trim();
        Assert.DoesNotContain("berth_auth", open);
        using (var anyone = Browser())
            Assert.Equal("hello\n", await GetTextAsync(anyone, open));

        FailedWith(await user.RunAsync("app", name, "port-9999"), "app-not-found");
        FailedWith(await other.RunAsync("app", name, "port-8080"), "session-not-found");

        await DestroyAsync(user, name);
        using (var late = Browser())
        {
            using var gone = await late.GetAsync(pathUrl);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("app-not-open", await gone.Content.ReadAsStringAsync());
        }
        // The app's ports are closed and back in the pool.
        await AssertClosedAsync(port);
        await AssertClosedAsync(new Uri(open).Port);
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

    [Fact]
    public async Task Preferred_port_is_used_when_free_and_another_pool_port_is_given_when_not()
    {
        var (_, user) = await berth.NewUserAsync("ports");
        var name = BerthFixture.UniqueName("ports");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--preopen", "8080,8081,8082", "--wait"));
        await ExecAsync(user, name, "sh", "-c", "mkdir -p /tmp/www && echo ported > /tmp/www/index.html && httpd -p 8080 -h /tmp/www");

        var free = FreePoolPort(exceptPort: null);
        var first = Json(await user.RunAsync("app", name, "port-8080", "--preferred-port", free.ToString(), "--json"));
        Assert.Equal(free, first.GetProperty("port").GetInt32());
        Assert.StartsWith($"http://127.0.0.1:{free}/", first.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("note").ValueKind);
        using (var browser = Browser())
            Assert.Equal("ported\n", await GetTextAsync(browser, first.GetProperty("url").GetString()!));

        // A port someone else holds: another one of the pool, and the note says so.
        var held = FreePoolPort(exceptPort: free);
        using (var holder = new TcpListener(IPAddress.Loopback, held))
        {
            holder.Start();
            var second = Json(await user.RunAsync("app", name, "port-8081", "--preferred-port", held.ToString(), "--json"));
            var got = second.GetProperty("port").GetInt32();
            Assert.NotEqual(held, got);
            Assert.NotEqual(free, got);
            Assert.InRange(got, 10250, 10349);
            Assert.Contains($"Preferred port {held} is taken", second.GetProperty("note").GetString());
        }

        // Outside the pool: a pool port, with a note.
        var third = Json(await user.RunAsync("app", name, "port-8082", "--preferred-port", "20000", "--json"));
        Assert.InRange(third.GetProperty("port").GetInt32(), 10250, 10349);
        Assert.Contains("outside the app port pool", third.GetProperty("note").GetString());

        // --close: the URL stops working and the port goes back.
        Succeeded(await user.RunAsync("app", name, "port-8082", "--close"));
        await AssertClosedAsync(third.GetProperty("port").GetInt32());

        await DestroyAsync(user, name);
        await AssertClosedAsync(free);
    }

    [Fact]
    public async Task Berth_app_port_serves_the_app_on_a_local_port_with_the_users_credentials()
    {
        var (_, user) = await berth.NewUserAsync("local");
        var name = BerthFixture.UniqueName("local");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--preopen", "8080", "--wait"));
        await ExecAsync(user, name, "sh", "-c", "mkdir -p /tmp/www && echo local-file > /tmp/www/file.txt && httpd -p 8080 -h /tmp/www");

        var local = ServerProcess.FreePort();
        using var forward = user.Start("app", name, "port-8080", "--port", local.ToString());
        try
        {
            var printed = await forward.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal($"http://127.0.0.1:{local}/", printed);
            // A plain client, no cookie, no secret: the CLI adds the credential.
            using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            Assert.Equal("local-file\n", await GetTextAsync(plain, $"http://127.0.0.1:{local}/file.txt"));
        }
        finally
        {
            forward.Kill(entireProcessTree: true);
            await forward.WaitForExitAsync();
        }
        await DestroyAsync(user, name);
    }

    /// <summary>A port of the default pool that nothing holds right now (from a random start, so parallel runs rarely meet).</summary>
    private static int FreePoolPort(int? exceptPort)
    {
        var start = Random.Shared.Next(100);
        for (var i = 0; i < 100; i++)
        {
            var port = 10250 + (start + i) % 100;
            if (port == exceptPort) continue;
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("no free port in 10250-10349");
    }

    /// <summary>Nothing listens on the port any more (within a few seconds: the listener stops after the session's end is seen).</summary>
    private static async Task AssertClosedAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"port {port} still accepts connections");
    }

    private static async Task<HttpStatusCode> SignedGetAsync(CliRunner cli, string url)
    {
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(cli.ConfigDirectory, "config.json")));
        var access = doc.RootElement.GetProperty("accessKey").GetString()!;
        var secret = doc.RootElement.GetProperty("secretKey").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in RequestSignature.Create(access, secret, "GET", request.RequestUri!.PathAndQuery, DateTime.UtcNow, []).All())
            request.Headers.TryAddWithoutValidation(name, value);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var response = await http.SendAsync(request);
        return response.StatusCode;
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
