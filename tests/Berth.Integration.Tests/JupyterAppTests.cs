using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 5, acceptance 1: a python session's Jupyter, started on demand, runs 1+1 over the proxied WebSocket.</summary>
[Collection(BerthCollection.Name)]
public class JupyterAppTests(BerthFixture berth)
{
    [Fact]
    public async Task Jupyter_opens_through_the_proxy_and_a_kernel_runs_1_plus_1_over_the_websocket()
    {
        Assert.True(berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        var (_, user) = await berth.NewUserAsync("jupyter");
        var name = BerthFixture.UniqueName("jup");
        Succeeded(await user.RunAsync("session", "create", "python", "-t", name, "--wait"));
        var apps = Json(await user.RunAsync("session", "apps", name, "--json")).EnumerateArray().ToList();
        var declared = Assert.Single(apps, a => a.GetProperty("name").GetString() == "jupyter");
        Assert.Equal(8888, declared.GetProperty("containerPort").GetInt32());
        Assert.StartsWith("jupyter notebook", declared.GetProperty("command").GetString());

        // Opening starts Jupyter in the session and answers once it listens.
        var opened = Json(await user.RunAsync("app", name, "jupyter", "--json"));
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("note").ValueKind);
        var url = opened.GetProperty("url").GetString()!;
        var port = opened.GetProperty("port").GetInt32();
        var origin = $"http://127.0.0.1:{port}";
        Assert.StartsWith(origin + "/?berth_auth=", url);

        // The owner's browser: the secret becomes a cookie, the notebook's pages and API answer at the root of the origin.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { Timeout = TimeSpan.FromSeconds(60) };
        using (var tree = await browser.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, tree.StatusCode);
            Assert.Contains("Jupyter", await tree.Content.ReadAsStringAsync());
        }
        using var created = await browser.PostAsync(origin + "/api/kernels", new StringContent("{\"name\":\"python3\"}", Encoding.UTF8, "application/json"));
        var createdBody = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST /api/kernels: {(int)created.StatusCode} {createdBody}");
        var kernel = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetString()!;

        using (var ws = new ClientWebSocket())
        {
            ws.Options.Cookies = cookies;
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels"), CancellationToken.None);
            Assert.Equal("2", await ExecuteAsync(ws, "1+1"));
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        // Without the owner's credentials: refused.
        using (var stranger = new HttpClient { Timeout = TimeSpan.FromSeconds(20) })
        {
            foreach (var target in new[] { origin + "/", origin + "/api/kernels" })
            {
                using var refused = await stranger.GetAsync(target);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Contains("app-auth-required", await refused.Content.ReadAsStringAsync());
            }
            using var ws = new ClientWebSocket();
            await Assert.ThrowsAnyAsync<WebSocketException>(() =>
                ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels"), CancellationToken.None));
        }

        // Opened --public (its own port): reachable without them.
        var publicOpen = Json(await user.RunAsync("app", name, "jupyter", "--public", "--json"));
        var publicUrl = publicOpen.GetProperty("url").GetString()!;
        Assert.DoesNotContain("berth_auth", publicUrl);
        Assert.NotEqual(port, publicOpen.GetProperty("port").GetInt32());
        using (var anyone = new HttpClient { Timeout = TimeSpan.FromSeconds(20) })
        {
            using var status = await anyone.GetAsync(publicUrl.TrimEnd('/') + "/api/status");
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            Assert.Contains("kernels", await status.Content.ReadAsStringAsync());
        }

        // Opening again does not start a second Jupyter (the first still answers, nothing waits).
        Assert.Equal(JsonValueKind.Null, Json(await user.RunAsync("app", name, "jupyter", "--json")).GetProperty("note").ValueKind);
        var processes = await ExecAsync(user, name, "sh", "-c", "ps -eo args | grep -c '[j]upyter-notebook' || true");
        Assert.Equal("1", processes.Trim());

        await DestroyAsync(user, name);
    }

    /// <summary>Sends a Jupyter execute_request on the shell channel and reads until its execute_result; returns its text/plain.</summary>
    private static async Task<string> ExecuteAsync(ClientWebSocket ws, string code)
    {
        var msgId = Guid.NewGuid().ToString("N");
        var request = new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["msg_id"] = msgId, ["username"] = "berth-test", ["session"] = Guid.NewGuid().ToString("N"),
                ["msg_type"] = "execute_request", ["version"] = "5.3", ["date"] = DateTime.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            },
            ["parent_header"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
            ["content"] = new JsonObject
            {
                ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(),
                ["allow_stdin"] = false, ["stop_on_error"] = true,
            },
            ["channel"] = "shell",
            ["buffers"] = new JsonArray(),
        };
        await ws.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var seen = new List<string>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer, deadline.Token);
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close) Assert.Fail($"the kernel channel closed; saw {string.Join(", ", seen)}");
            if (result.MessageType != WebSocketMessageType.Text) continue;
            using var doc = JsonDocument.Parse(message.ToArray());
            var type = doc.RootElement.GetProperty("header").GetProperty("msg_type").GetString()!;
            seen.Add(type);
            var parent = doc.RootElement.GetProperty("parent_header");
            if (type == "error") Assert.Fail("the kernel answered an error: " + doc.RootElement.GetProperty("content"));
            if (type == "execute_result" && parent.TryGetProperty("msg_id", out var p) && p.GetString() == msgId)
                return doc.RootElement.GetProperty("content").GetProperty("data").GetProperty("text/plain").GetString()!;
        }
    }
}
