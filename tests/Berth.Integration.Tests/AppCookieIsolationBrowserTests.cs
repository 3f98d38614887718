using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 10 (isolation between users), in a real browser: an app of another user, opened in the same browser where
/// the admin is signed in to their Jupyter and terminal, receives none of the admin's cookies, and its page can neither
/// drive the admin's Jupyter (a POST) nor open their kernel's or terminal's WebSocket.
/// </summary>
[Collection(BerthCollection.Name)]
public class AppCookieIsolationBrowserTests(BerthFixture berth)
{
    /// <summary>
    /// The attacker's app: a page whose script attacks the URLs it is given in its query, served by an
    /// <c>http.server</c> that records each request's Cookie header and sets a cookie of its own.
    /// </summary>
    private const string AttackerPage = """
        <!doctype html>
        <html><head><title>free stuff</title></head><body><pre id="out">running</pre><script>
        const q = new URLSearchParams(location.search);
        function socket(url) {
          return new Promise(resolve => {
            let done = false;
            const finish = what => { if (!done) { done = true; resolve(what); } };
            const ws = new WebSocket(url);
            ws.onopen = () => { finish('open'); ws.close(); };
            ws.onerror = () => finish('error');
            ws.onclose = () => finish('closed');
            setTimeout(() => finish('timeout'), 15000);
          });
        }
        (async () => {
          const results = {};
          await fetch('/ping', { credentials: 'include' });
          try {
            const r = await fetch(q.get('jupyter') + 'api/contents', { method: 'POST', credentials: 'include', body: '{"type":"file"}' });
            results.post = 'status ' + r.status;
          } catch (e) { results.post = 'failed: ' + e.message; }
          results.kernel = await socket(q.get('kernel'));
          results.terminal = await socket(q.get('terminal'));
          await fetch('/ping', { credentials: 'include' });
          document.getElementById('out').textContent = JSON.stringify(results);
          window.berthResults = results;
        })();
        </script></body></html>
        """;

    private const string CookieLogger = """
        import http.server, os
        os.chdir('/tmp/www')
        class Handler(http.server.SimpleHTTPRequestHandler):
            def record(self):
                with open('/tmp/cookies.log', 'a') as log:
                    log.write(self.path.split('?')[0] + '\t' + (self.headers.get('Cookie') or '') + '\n')
            def do_GET(self):
                self.record()
                super().do_GET()
            def do_POST(self):
                self.record()
                self.send_response(204)
                self.end_headers()
            def end_headers(self):
                self.send_header('Set-Cookie', 'attacker=1; Path=/')
                super().end_headers()
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(('0.0.0.0', 8080), Handler).serve_forever()
        """;

    [Fact]
    public async Task Another_users_public_app_gets_none_of_the_victims_cookies_and_cannot_drive_their_apps()
    {
        Assert.True(berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        await using var chromium = await HeadlessChromium.LaunchAsync();

        // The victim (the admin): Jupyter and a terminal, opened through the proxy.
        var victim = berth.Admin;
        var victimSession = BerthFixture.UniqueName("victim");
        Succeeded(await victim.RunAsync("session", "create", "python", "-t", victimSession, "--wait"));
        var victimId = (await InfoAsync(victim, victimSession)).GetProperty("id").GetString()!;
        var jupyterUrl = Json(await victim.RunAsync("app", victimSession, "jupyter", "--json")).GetProperty("url").GetString()!;
        var terminalUrl = Json(await victim.RunAsync("app", victimSession, "terminal", "--json")).GetProperty("url").GetString()!;
        var jupyterRoot = jupyterUrl[..(jupyterUrl.IndexOf('?'))];
        var terminalRoot = terminalUrl[..(terminalUrl.IndexOf('?'))];

        // The attacker: another user's public app.
        var (_, attacker) = await berth.NewUserAsync("attacker");
        var attackerSession = BerthFixture.UniqueName("attacker");
        Succeeded(await attacker.RunAsync("session", "create", "python", "-t", attackerSession, "--preopen", "8080", "--wait"));
        await ExecAsync(attacker, attackerSession, "sh", "-c",
            $"mkdir -p /tmp/www && echo {Base64(AttackerPage)} | base64 -d > /tmp/www/index.html && echo {Base64(CookieLogger)} | base64 -d > /tmp/logger.py"
            + " && (python3 /tmp/logger.py >/tmp/logger.out 2>&1 &)");
        var attackerUrl = Succeeded(await attacker.RunAsync("app", attackerSession, "port-8080", "--public")).Stdout.Trim();
        await WaitAnswersAsync(attackerUrl);
        await ExecAsync(attacker, attackerSession, "rm", "-f", "/tmp/cookies.log"); // the readiness probe's request

        await chromium.RunAsync(nameof(Another_users_public_app_gets_none_of_the_victims_cookies_and_cannot_drive_their_apps), async context =>
        {
            // The victim signs in to Jupyter (the URL's secret becomes the proxy's cookie) and uses it from its own pages.
            var jupyter = await context.NewPageAsync();
            await jupyter.GotoAsync(jupyterUrl);
            Assert.StartsWith(jupyterRoot, jupyter.Url);
            Assert.DoesNotContain("berth_auth", jupyter.Url);
            Assert.Contains("Jupyter", await jupyter.ContentAsync());
            var kernel = await jupyter.EvaluateAsync<string>("""
                async () => {
                  const r = await fetch('/api/kernels', { method: 'POST', body: JSON.stringify({ name: 'python3' }), headers: { 'Content-Type': 'application/json' } });
                  return r.status + ' ' + await r.text();
                }
                """);
            Assert.True(kernel.StartsWith("201 ", StringComparison.Ordinal), $"the victim's own page could not start a kernel: {kernel}");
            var kernelId = JsonDocument.Parse(kernel[4..]).RootElement.GetProperty("id").GetString()!;

            // …and the terminal, whose page opens its own socket.
            var terminal = await context.NewPageAsync();
            await terminal.GotoAsync(terminalUrl);
            Assert.Equal("open", await terminal.EvaluateAsync<string>(SocketScript, WebSocketUrl(terminalRoot) + "ws"));

            var untitledBefore = await UntitledCountAsync(victim, victimSession);

            // In the same browser, the victim visits the attacker's page.
            var kernelSocket = WebSocketUrl(jupyterRoot) + $"api/kernels/{kernelId}/channels";
            var evil = await context.NewPageAsync();
            await evil.GotoAsync(attackerUrl + "?jupyter=" + Uri.EscapeDataString(jupyterRoot) + "&kernel=" + Uri.EscapeDataString(kernelSocket)
                                 + "&terminal=" + Uri.EscapeDataString(WebSocketUrl(terminalRoot) + "ws"));
            await evil.WaitForFunctionAsync("() => window.berthResults !== undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            using var results = JsonDocument.Parse(await evil.EvaluateAsync<string>("() => JSON.stringify(window.berthResults)"));
            var outcome = results.RootElement;

            // The sockets to the victim's kernel and terminal were refused (the proxy answered 403 to their upgrades)…
            Assert.Equal("error", outcome.GetProperty("kernel").GetString());
            Assert.Equal("error", outcome.GetProperty("terminal").GetString());
            // …and so was the POST (the page cannot read a cross-origin answer: the server's log and the files tell).
            var attackerOrigin = new Uri(attackerUrl).GetLeftPart(UriPartial.Authority);
            foreach (var (method, app) in new[] { ("POST", "jupyter"), ("GET", "jupyter"), ("GET", "terminal") })
                await berth.Server.AssertLogContainsAsync($"Refused a {method} to app {app} of session {victimId} made by another page (Origin {attackerOrigin}");
            Assert.Equal(untitledBefore, await UntitledCountAsync(victim, victimSession));

            // The attacker's server got its own cookie and nothing of the victim's.
            var victimCookies = await context.CookiesAsync([jupyterRoot, terminalRoot]);
            Assert.Contains(victimCookies, c => c.Name.StartsWith("berth_auth_", StringComparison.Ordinal));
            var received = (await ExecAsync(attacker, attackerSession, "cat", "/tmp/cookies.log")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("/ping\tattacker=1", received);
            foreach (var line in received)
            {
                Assert.DoesNotContain("berth_", line);
                Assert.DoesNotContain("bapp_", line);
                foreach (var cookie in victimCookies.Where(c => c.Value.Length >= 8))
                    Assert.False(line.Contains(cookie.Value, StringComparison.Ordinal), $"the attacker's app received the victim's cookie {cookie.Name}: {line}");
            }

            // So that this test can fail: the same POST with the victim's cookie, not from a page, goes through.
            var auth = Assert.Single(victimCookies, c => c.Name == $"berth_auth_{new Uri(jupyterRoot).Port}");
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Post, jupyterRoot + "api/contents");
            request.Headers.Add("Cookie", $"{auth.Name}={auth.Value}");
            request.Content = new StringContent("{\"type\":\"file\"}", Encoding.UTF8, "text/plain");
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST api/contents with the victim's cookie: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(untitledBefore + 1, await UntitledCountAsync(victim, victimSession));
        });

        await DestroyAsync(attacker, attackerSession);
        await DestroyAsync(victim, victimSession);
    }

    /// <summary>Opens a WebSocket from the page and says whether it opened.</summary>
    private const string SocketScript = """
        url => new Promise(resolve => {
          const ws = new WebSocket(url);
          ws.onopen = () => { resolve('open'); ws.close(); };
          ws.onerror = () => resolve('error');
        })
        """;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n")));

    private static string WebSocketUrl(string httpUrl) => "ws" + httpUrl["http".Length..];

    /// <summary>Files Jupyter's <c>POST api/contents</c> with <c>{"type":"file"}</c> makes (<c>untitled</c>, <c>untitled1</c>, …) in the notebook directory.</summary>
    private static async Task<int> UntitledCountAsync(CliRunner cli, string session) =>
        int.Parse((await ExecAsync(cli, session, "sh", "-c", "ls -a /home/work | grep -ci '^untitled' || true")).Trim());

    /// <summary>The server in the session was just started in the background: wait (bounded) until it answers.</summary>
    private static async Task WaitAnswersAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{url} never answered 200 (last {(int)response.StatusCode})");
            await Task.Delay(200);
        }
    }
}
