using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.RobustnessTests;

namespace Berth.Integration.Tests;

/// <summary>
/// Bug 6: a sync is the agent's heartbeat, so it must answer promptly whatever the other agents do. A sync used to
/// ask every known agent about the base images whenever an agent arrived — 15 s per agent and image — so with a few
/// agents whose control API had stopped answering, an agent that synced (e.g. with no control URL) waited minutes
/// and went LOST. Its own server (no in-process agent), since the silent agents would slow other tests' imports.
/// </summary>
public class AgentSyncTests
{
    [Fact]
    public async Task A_sync_without_a_control_url_answers_at_once_even_while_other_agents_are_silent()
    {
        var data = Directory.CreateTempSubdirectory("berth-sync-").FullName;
        await using var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>(), extraArgs: ["--no-agent"]);
        using var silent = new SilentListener();
        try
        {
            using var http = AgentHttp(server);
            // Agents whose control API accepts connections and never answers; in a group no session uses.
            foreach (var id in new[] { "silent-1", "silent-2", "silent-3" })
                await SyncAsync(http, Beat(id, silent.Url, []), TimeSpan.FromMinutes(5));

            var clock = Stopwatch.StartNew();
            var answer = await SyncAsync(http, Beat("no-control", null, ["berth/minimal:latest", "berth/python:latest"]), TimeSpan.FromSeconds(60));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the sync took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal("[]", answer);

            // Even an agent whose own control API is silent is answered within the registration timeout (10 s).
            clock.Restart();
            await SyncAsync(http, Beat("silent-with-images", silent.Url, ["berth/minimal:latest"]), TimeSpan.FromSeconds(60));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(14), $"the sync took {clock.Elapsed.TotalSeconds:0.0} s");

            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            var agents = CliAssert.Json(await admin.RunAsync("admin", "agent", "list", "--json"));
            var listed = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "no-control");
            Assert.Equal(JsonValueKind.Null, listed.GetProperty("controlUrl").ValueKind);
            Assert.Equal("ALIVE", listed.GetProperty("status").GetString());
        }
        finally { BerthFixture.TryDelete(data); }
    }

    [Fact]
    public async Task An_agent_that_drops_its_control_url_is_no_longer_called()
    {
        var data = Directory.CreateTempSubdirectory("berth-sync-").FullName;
        await using var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>(), extraArgs: ["--no-agent"]);
        using var silent = new SilentListener();
        try
        {
            using var http = AgentHttp(server);
            await SyncAsync(http, Beat("went-quiet", silent.Url, []), TimeSpan.FromMinutes(1));
            await SyncAsync(http, Beat("went-quiet", null, []), TimeSpan.FromMinutes(1));
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            // An import asks every reachable agent; one that still held the old URL would make it wait 15 s.
            var clock = Stopwatch.StartNew();
            CliAssert.FailedWith(await admin.RunAsync("image", "import", "berth/no-such-image:1"), "image-not-present");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the import took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(0, silent.Accepted);
        }
        finally { BerthFixture.TryDelete(data); }
    }

    private static string Beat(string id, string? controlUrl, string[] images) => JsonSerializer.Serialize(new
    {
        agentId = id, resourceGroup = "robustness-none", architecture = "x64", version = "1.0.0",
        capacity = new Dictionary<string, decimal>(), controlUrl, images,
    });

    private static async Task<string> SyncAsync(HttpClient http, string body, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        using var response = await http.PostAsync("/api/agent/v1/sync", JsonBody(body), deadline.Token);
        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sync answered {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>A loopback port that accepts connections and never says a word, as a hung agent would.</summary>
    private sealed class SilentListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private int _accepted;

        public SilentListener()
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var socket = await _listener.AcceptSocketAsync(_stop.Token);
                        Interlocked.Increment(ref _accepted);
                        lock (_held) _held.Add(socket);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
            });
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held) foreach (var s in _held) s.Dispose();
        }
    }
}
