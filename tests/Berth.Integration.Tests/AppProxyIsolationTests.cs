using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Berth.Core.Apps;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 10 at the HTTP level: what the proxy takes out of requests before an app sees them, what becomes of the
/// cookies an app sets, and which requests of other pages it refuses.
/// </summary>
[Collection(BerthCollection.Name)]
public class AppProxyIsolationTests(BerthFixture berth)
{
    /// <summary>Answers every request with the headers it got, as JSON, and sets a cookie that tries to cover every port.</summary>
    private const string EchoServer = """
        import http.server, json
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                if length: self.rfile.read(length)
                body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Set-Cookie', 'seen=1; Domain=127.0.0.1; Path=/')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_GET = do_POST = do_PUT = do_DELETE = answer
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(('0.0.0.0', 8080), Handler).serve_forever()
        """;

    [Fact]
    public async Task The_app_sees_no_Berth_credential_and_only_its_own_cookies()
    {
        Assert.True(berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        var (_, user) = await berth.NewUserAsync("echo");
        var name = BerthFixture.UniqueName("echo");
        Succeeded(await user.RunAsync("session", "create", "python", "-t", name, "--preopen", "8080", "--wait"));
        var id = Guid.Parse((await InfoAsync(user, name)).GetProperty("id").GetString()!);
        await ExecAsync(user, name, "sh", "-c",
            $"echo {Convert.ToBase64String(Encoding.UTF8.GetBytes(EchoServer))} | base64 -d > /tmp/echo.py && (python3 /tmp/echo.py >/dev/null 2>&1 &)");
        var opened = Json(await user.RunAsync("app", name, "port-8080", "--json"));
        var url = opened.GetProperty("url").GetString()!;
        var port = opened.GetProperty("port").GetInt32();
        var root = url[..url.IndexOf('?')];
        var secret = url[(url.IndexOf("berth_auth=", StringComparison.Ordinal) + "berth_auth=".Length)..];
        var key = AppCookieScope.KeyFor(id, "port-8080");

        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Get, root);
        request.Headers.Add("Cookie",
            $"berth_auth_{port}={secret}; berth_auth_10299=someone-elses; berth_auth=path-cookie; bapp_0123456789abcdef_session=another-apps; bapp_{key}_mine=kept; theme=dark");
        request.Headers.Add("X-Berth-Date", DateTime.UtcNow.ToString("o"));
        request.Headers.Add("X-Berth-Whatever", "secret-ish");
        request.Headers.TryAddWithoutValidation("Authorization", "Berth-HMAC-SHA256 not-a-key:not-a-signature");
        using var response = await RetryWhileStartingAsync(http, request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {root}: {(int)response.StatusCode} {body}");
        using var seen = JsonDocument.Parse(body);
        var headers = seen.RootElement;
        Assert.Equal("mine=kept", headers.GetProperty("cookie").GetString());
        Assert.False(headers.TryGetProperty("authorization", out _), body);
        Assert.DoesNotContain("x-berth", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secret, body);

        // The app's own cookie comes back renamed for this app only, host-only and HttpOnly.
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Equal($"bapp_{key}_seen=1; Path=/; HttpOnly", setCookie);

        // An app's own Authorization scheme goes through.
        using var withToken = new HttpRequestMessage(HttpMethod.Get, root);
        withToken.Headers.Add("Cookie", $"berth_auth_{port}={secret}");
        withToken.Headers.TryAddWithoutValidation("Authorization", "token app-own");
        using var tokenResponse = await http.SendAsync(withToken);
        Assert.Contains("token app-own", await tokenResponse.Content.ReadAsStringAsync());
        await DestroyAsync(user, name);
    }

    [Fact]
    public async Task Writes_and_sockets_from_other_pages_are_refused_and_the_apps_own_pass()
    {
        var (_, user) = await berth.NewUserAsync("origin");
        var name = BerthFixture.UniqueName("origin");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--preopen", "8080", "--wait"));
        await ExecAsync(user, name, "sh", "-c", "mkdir -p /tmp/www && echo hello > /tmp/www/index.html && httpd -p 8080 -h /tmp/www");
        var opened = Json(await user.RunAsync("app", name, "port-8080", "--json"));
        var url = opened.GetProperty("url").GetString()!;
        var port = opened.GetProperty("port").GetInt32();
        var root = url[..url.IndexOf('?')];
        var secret = url[(url.IndexOf("berth_auth=", StringComparison.Ordinal) + "berth_auth=".Length)..];
        var cookie = $"berth_auth_{port}={secret}";
        var own = $"http://127.0.0.1:{port}";

        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(20) };
        foreach (var (method, origin, site) in new (string, string?, string?)[]
                 {
                     ("POST", "http://evil.example.com", null), ("PUT", $"http://127.0.0.1:{port + 1}", null), ("DELETE", "null", null),
                     ("PATCH", $"https://127.0.0.1:{port}", null), ("POST", null, "cross-site"), ("POST", null, "same-site"),
                 })
        {
            using var refused = await SendAsync(http, method, root, cookie, origin, site);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{method} Origin {origin} Sec-Fetch-Site {site}: {(int)refused.StatusCode} {body}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(AppOriginPolicy.Rule, body);
        }
        // The app's own pages, the CLI (no Origin) and reads of any page reach the app.
        foreach (var (method, origin, site) in new (string, string?, string?)[]
                 {
                     ("POST", own, "same-origin"), ("POST", $"HTTP://127.0.0.1:{port}", null),
                     ("POST", null, null), ("GET", "http://evil.example.com", "cross-site"),
                 })
        {
            using var passed = await SendAsync(http, method, root, cookie, origin, site);
            Assert.DoesNotContain(AppOriginPolicy.Rule, await passed.Content.ReadAsStringAsync());
            Assert.NotEqual(HttpStatusCode.Forbidden, passed.StatusCode);
        }
        // Under the path URL the app's origin is the manager's.
        var pathRoot = opened.GetProperty("pathUrl").GetString()!.Split('?')[0];
        var manager = berth.Server.Endpoint.GetLeftPart(UriPartial.Authority);
        using (var pathOwn = await SendAsync(http, "POST", pathRoot, $"berth_auth={secret}", manager, null))
            Assert.DoesNotContain(AppOriginPolicy.Rule, await pathOwn.Content.ReadAsStringAsync());
        using (var pathOther = await SendAsync(http, "POST", pathRoot, $"berth_auth={secret}", own, null))
            Assert.Equal(HttpStatusCode.Forbidden, pathOther.StatusCode);
        await DestroyAsync(user, name);
    }

    [Fact]
    public async Task A_terminal_socket_with_the_owners_cookie_from_another_origin_is_refused()
    {
        var (_, user) = await berth.NewUserAsync("termorigin");
        var name = BerthFixture.UniqueName("termorigin");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--wait"));
        var url = Json(await user.RunAsync("app", name, "terminal", "--json")).GetProperty("url").GetString()!;
        var root = new Uri(url[..url.IndexOf('?')]);
        var cookies = new CookieContainer();
        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { Timeout = TimeSpan.FromSeconds(20) })
            Assert.Contains("xterm.js", await browser.GetStringAsync(url));
        var ws = new Uri("ws" + root.AbsoluteUri["http".Length..] + "ws");

        // The report: a stolen cookie and Origin http://evil.example.com got 101 and a shell.
        using (var hijack = new ClientWebSocket())
        {
            hijack.Options.Cookies = cookies;
            hijack.Options.SetRequestHeader("Origin", "http://evil.example.com");
            hijack.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => hijack.ConnectAsync(ws, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, hijack.HttpStatusCode);
        }
        var id = (await InfoAsync(user, name)).GetProperty("id").GetString();
        await berth.Server.AssertLogContainsAsync($"Refused a GET to app terminal of session {id} made by another page (Origin http://evil.example.com");
        // The terminal's own page (its origin) and clients that send no Origin connect.
        foreach (var origin in new[] { root.GetLeftPart(UriPartial.Authority), null })
        {
            using var socket = new ClientWebSocket();
            socket.Options.Cookies = cookies;
            if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
            await socket.ConnectAsync(ws, CancellationToken.None);
            Assert.Equal(WebSocketState.Open, socket.State);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        await DestroyAsync(user, name);
    }

    [Fact]
    public async Task Berth_app_port_passes_its_own_pages_writes_and_not_other_pages()
    {
        var (_, user) = await berth.NewUserAsync("localorigin");
        var name = BerthFixture.UniqueName("localorigin");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--preopen", "8080", "--wait"));
        await ExecAsync(user, name, "sh", "-c", "mkdir -p /tmp/www && echo hello > /tmp/www/index.html && httpd -p 8080 -h /tmp/www");
        var local = ServerProcess.FreePort();
        using var forward = user.Start("app", name, "port-8080", "--port", local.ToString());
        try
        {
            Assert.Equal($"http://127.0.0.1:{local}/", await forward.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            // A page served by the local forwarder is the app's own page there…
            using (var own = await SendAsync(http, "POST", $"http://127.0.0.1:{local}/", "", $"http://127.0.0.1:{local}", "same-origin"))
            {
                var body = await own.Content.ReadAsStringAsync();
                Assert.False(body.Contains(AppOriginPolicy.Rule, StringComparison.Ordinal), body);
            }
            // …another page is not.
            using var other = await SendAsync(http, "POST", $"http://127.0.0.1:{local}/", "", "http://evil.example.com", "cross-site");
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.Contains(AppOriginPolicy.Rule, await other.Content.ReadAsStringAsync());
        }
        finally
        {
            forward.Kill(entireProcessTree: true);
            await forward.WaitForExitAsync();
        }
        await DestroyAsync(user, name);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string url, string cookie, string? origin, string? site)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (cookie.Length > 0) request.Headers.Add("Cookie", cookie);
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        if (site is not null) request.Headers.Add("Sec-Fetch-Site", site);
        if (method != "GET") request.Content = new StringContent("");
        return await http.SendAsync(request);
    }

    /// <summary>The server in the session was just started in the background: resend (a copy) while the proxy answers 502.</summary>
    private static async Task<HttpResponseMessage> RetryWhileStartingAsync(HttpClient http, HttpRequestMessage template)
    {
        for (var i = 0; ; i++)
        {
            using var request = new HttpRequestMessage(template.Method, template.RequestUri);
            foreach (var (key, values) in template.Headers) request.Headers.TryAddWithoutValidation(key, values);
            var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.BadGateway || i >= 50) return response;
            response.Dispose();
            await Task.Delay(200);
        }
    }
}
