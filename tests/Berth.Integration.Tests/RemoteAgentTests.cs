using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Agent.Runtime;
using Berth.Integration.Tests.Infrastructure;
using Docker.DotNet.Models;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Agents on other nodes: `berth server --no-agent` with a separate `berth agent` process.</summary>
[Collection(BerthCollection.Name)]
public class RemoteAgentTests
{
    [Fact]
    public async Task A_remote_agent_runs_sessions_and_after_a_hard_kill_is_lost_then_adopts_its_containers()
    {
        var data = Directory.CreateTempSubdirectory("berth-remote-").FullName;
        var scratch = Directory.CreateTempSubdirectory("berth-remote-scratch-").FullName;
        var agentId = "remote-" + Guid.NewGuid().ToString("N")[..10];
        var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?> { ["Manager:AgentHeartbeatTimeout"] = "00:00:05" },
            extraArgs: ["--no-agent"]);
        AgentProcess? agent = null;
        try
        {
            agent = await AgentProcess.StartAsync(server, agentId, scratch);
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);

            var listed = await WaitForAgentAsync(admin, agentId, "ALIVE");
            Assert.Equal(2m, listed.GetProperty("capacity").GetProperty("cpu").GetDecimal());
            Assert.Equal(2L << 30, listed.GetProperty("capacity").GetProperty("mem").GetInt64());
            Assert.Equal(agent.ControlUrl.ToString().TrimEnd('/'), listed.GetProperty("controlUrl").GetString());
            // The server runs no agent of its own: the remote one is all there is.
            Assert.Single(Json(await admin.RunAsync("admin", "agent", "list", "--json")).EnumerateArray());

            Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
            Succeeded(await admin.RunAsync("vfolder", "create", "shared"));
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "remote-a", "-m", "shared", "-r", "cpu=1", "-r", "mem=256m", "--wait"));
            var info = await InfoAsync(admin, "remote-a");
            Assert.Equal(agentId, info.GetProperty("agent").GetString());
            var containerId = info.GetProperty("containerId").GetString()!;
            Assert.Equal("1000\n", await ExecAsync(admin, "remote-a", "id", "-u"));
            // The storage host is mounted where the agent was told it is: the file lands in the server's volume.
            await ExecAsync(admin, "remote-a", "sh", "-c", "echo from-remote > /home/work/shared/marker");
            Assert.Contains(Directory.EnumerateFiles(Path.Combine(data, "volumes", "local"), "marker", SearchOption.AllDirectories),
                f => File.ReadAllText(f) == "from-remote\n");

            // The terminal goes through the agent's control API too (a WebSocket relayed by the manager).
            using (var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(admin.ConfigDirectory, "config.json"))))
            using (var client = new Berth.Client.BerthClient(server.Endpoint, new Berth.Client.ApiKeyPair(
                       config.RootElement.GetProperty("accessKey").GetString()!, config.RootElement.GetProperty("secretKey").GetString()!)))
            await using (var shell = new Berth.Core.Terminals.WebSocketTerminal(await client.ConnectTerminalAsync("remote-a", 80, 24)))
            {
                await shell.WriteAsync(System.Text.Encoding.UTF8.GetBytes("echo remote-$((5*5)) as $(id -u); exit 5\r"), CancellationToken.None);
                var output = new System.Text.StringBuilder();
                var buffer = new byte[4096];
                int read;
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while ((read = await shell.ReadAsync(buffer, patience.Token)) > 0)
                    output.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
                Assert.Contains("remote-25 as 1000", output.ToString());
                Assert.Equal(5, await shell.ExitCodeAsync(CancellationToken.None));
            }

            // Commit and image delete go through the agent's control API as well.
            var committed = Json(await admin.RunAsync("session", "commit", "remote-a", "remote1", "--json"));
            var committedReference = committed.GetProperty("reference").GetString()!;
            Assert.True(await TestDocker.HasImageAsync(committedReference));
            Succeeded(await admin.RunAsync("image", "delete", "customized-remote1"));
            Assert.False(await TestDocker.HasImageAsync(committedReference));

            var occupied = (await WaitForAgentAsync(admin, agentId, "ALIVE")).GetProperty("occupied");
            Assert.Equal(1m, occupied.GetProperty("cpu").GetDecimal());
            Assert.Equal(256L << 20, occupied.GetProperty("mem").GetInt64());
            var table = Succeeded(await admin.RunAsync("admin", "agent", "list")).Stdout;
            Assert.Contains(agentId, table);
            Assert.Contains("1/2", table);

            // The node's agent dies without a word: after the heartbeat timeout it is LOST and the session says so.
            await agent.KillHardAsync();
            await agent.DisposeAsync();
            agent = null;
            await WaitForAgentAsync(admin, agentId, "LOST");
            info = await WaitForWarningsAsync(admin, "remote-a", ws => ws.Any(w => w.Contains($"agent {agentId} stopped answering at")));
            Assert.Equal("RUNNING", info.GetProperty("status").GetString());
            FailedWith(await admin.RunAsync("session", "exec", "remote-a", "--", "true"), "agent-unavailable");

            // Back with the same id: ALIVE again, and the container it left running is taken back, not replaced.
            agent = await AgentProcess.StartAsync(server, agentId, scratch);
            await WaitForAgentAsync(admin, agentId, "ALIVE");
            Assert.Equal("from-remote\n", await ExecAsync(admin, "remote-a", "cat", "/home/work/shared/marker"));
            info = await WaitForWarningsAsync(admin, "remote-a", ws => !ws.Any(w => w.Contains("stopped answering")));
            Assert.Equal("RUNNING", info.GetProperty("status").GetString());
            Assert.Equal(containerId, info.GetProperty("containerId").GetString());
            var containers = await TestDocker.ContainersOfAgentAsync(agentId);
            Assert.Equal(containerId, Assert.Single(containers).ID);
            Assert.Equal("running", containers[0].State);

            await DestroyAsync(admin, "remote-a");
            for (var i = 0; i < 50 && (await TestDocker.ContainersOfAgentAsync(agentId)).Count > 0; i++) await Task.Delay(200);
            Assert.Empty(await TestDocker.ContainersOfAgentAsync(agentId));
        }
        finally
        {
            if (agent is not null) await agent.DisposeAsync();
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(agentId);
            BerthFixture.TryDelete(data);
            BerthFixture.TryDelete(scratch);
        }
    }

    [Fact]
    public async Task Sessions_on_an_agent_that_stays_away_past_the_grace_end_as_agent_lost_and_its_container_goes_when_it_returns()
    {
        var data = Directory.CreateTempSubdirectory("berth-grace-").FullName;
        var scratch = Directory.CreateTempSubdirectory("berth-grace-scratch-").FullName;
        var agentId = "grace-" + Guid.NewGuid().ToString("N")[..10];
        var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>
        {
            ["Manager:AgentHeartbeatTimeout"] = "00:00:03",
            ["Manager:LostAgentGrace"] = "00:00:06",
        }, extraArgs: ["--no-agent"]);
        AgentProcess? agent = null;
        try
        {
            agent = await AgentProcess.StartAsync(server, agentId, scratch);
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            await WaitForAgentAsync(admin, agentId, "ALIVE");
            Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "grace-a", "--wait"));

            await agent.KillHardAsync();
            await agent.DisposeAsync();
            agent = null;
            var info = await WaitForAsync(admin, "grace-a", "TERMINATED");
            Assert.StartsWith("agent-lost", info.GetProperty("statusReason").GetString());
            Assert.Single(await TestDocker.ContainersOfAgentAsync(agentId)); // nobody could remove it meanwhile
            Assert.Equal(0m, (await WaitForAgentAsync(admin, agentId, "LOST")).GetProperty("occupied").GetProperty("cpu").GetDecimal());

            // The node comes back: the session is over, so its container is removed, not adopted.
            agent = await AgentProcess.StartAsync(server, agentId, scratch);
            await WaitForAgentAsync(admin, agentId, "ALIVE");
            for (var i = 0; i < 50 && (await TestDocker.ContainersOfAgentAsync(agentId)).Count > 0; i++) await Task.Delay(200);
            Assert.Empty(await TestDocker.ContainersOfAgentAsync(agentId));
            Assert.Equal("TERMINATED", (await InfoAsync(admin, "grace-a")).GetProperty("status").GetString());
        }
        finally
        {
            if (agent is not null) await agent.DisposeAsync();
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(agentId);
            BerthFixture.TryDelete(data);
            BerthFixture.TryDelete(scratch);
        }
    }

    [Fact]
    public async Task Both_agent_APIs_refuse_a_wrong_token_and_an_agent_touches_only_its_own_containers()
    {
        var data = Directory.CreateTempSubdirectory("berth-agent-auth-").FullName;
        var scratch = Directory.CreateTempSubdirectory("berth-agent-auth-scratch-").FullName;
        var agentId = "auth-" + Guid.NewGuid().ToString("N")[..10];
        var otherAgent = "other-" + Guid.NewGuid().ToString("N")[..10];
        var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>(), extraArgs: ["--no-agent"]);
        AgentProcess? agent = null;
        try
        {
            agent = await AgentProcess.StartAsync(server, agentId, scratch);
            var token = AgentProcess.AgentToken(server);
            using var http = new HttpClient();
            var heartbeat = new { agentId = "intruder", resourceGroup = "default", architecture = "x64", version = "1", capacity = new { cpu = 64 }, images = Array.Empty<string>() };

            // Manager side: no token, a wrong token, a user's scheme: refused, and nothing registered.
            foreach (var header in new[] { null, "Bearer wrong-token", "Bearer " + token + "x", "Basic " + token })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Endpoint, "/api/agent/v1/sync")) { Content = JsonContent.Create(heartbeat) };
                if (header is not null) request.Headers.TryAddWithoutValidation("Authorization", header);
                using var response = await http.SendAsync(request);
                await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "agent-token-invalid");
            }
            using (var report = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Endpoint, "/api/agent/v1/report"))
                   { Content = JsonContent.Create(new { agentId, observations = Array.Empty<object>() }) })
            {
                report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token");
                await AssertProblemAsync(await http.SendAsync(report), HttpStatusCode.Unauthorized, "agent-token-invalid");
            }
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            await WaitForAgentAsync(admin, agentId, "ALIVE");
            Assert.DoesNotContain(Json(await admin.RunAsync("admin", "agent", "list", "--json")).EnumerateArray(),
                a => a.GetProperty("id").GetString() == "intruder");

            // Agent side: the same for its control API.
            foreach (var header in new[] { null, "Bearer wrong-token" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.ControlUrl, "/agent/v1/images/inspect?reference=" + TestDocker.MinimalReference));
                if (header is not null) request.Headers.TryAddWithoutValidation("Authorization", header);
                await AssertProblemAsync(await http.SendAsync(request), HttpStatusCode.Unauthorized, "agent-token-invalid");
            }
            using (var inspect = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.ControlUrl, "/agent/v1/images/inspect?reference=" + TestDocker.MinimalReference)))
            {
                inspect.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(inspect);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            // With the right token, the agent still refuses containers that are not its own: another agent's, and Docker's own.
            using var docker = TestDocker.Client();
            var foreign = (await docker.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = TestDocker.MinimalReference, Cmd = ["sleep", "600"],
                Labels = new Dictionary<string, string> { [ContainerLabels.Agent] = otherAgent, [ContainerLabels.KernelId] = Guid.NewGuid().ToString() },
            })).ID;
            var unlabelled = (await docker.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = TestDocker.MinimalReference, Cmd = ["sleep", "600"],
                Labels = new Dictionary<string, string> { ["ai.berth.test"] = otherAgent }, // no agent label at all
            })).ID;
            try
            {
                await docker.Containers.StartContainerAsync(foreign, new ContainerStartParameters());
                foreach (var target in new[] { foreign, foreign[..12], unlabelled, "no-such-container" })
                {
                    using var exec = new HttpRequestMessage(HttpMethod.Post, new Uri(agent.ControlUrl, "/agent/v1/exec"))
                    {
                        Content = JsonContent.Create(new { containerId = target, command = new[] { "touch", "/tmp/touched" } }),
                    };
                    exec.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    await AssertProblemAsync(await http.SendAsync(exec), HttpStatusCode.NotFound, "container-not-found");

                    using var logs = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.ControlUrl, $"/agent/v1/logs?containerId={target}"));
                    logs.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    await AssertProblemAsync(await http.SendAsync(logs), HttpStatusCode.NotFound, "container-not-found");
                }
                // The agent's reconciler left the other agent's container alone too.
                Assert.True((await TestDocker.InspectAsync(foreign)).State?.Running);
                Assert.NotNull(await TestDocker.InspectAsync(unlabelled));
            }
            finally
            {
                await TestDocker.RemoveContainersOfAgentAsync(otherAgent);
                await docker.Containers.RemoveContainerAsync(unlabelled, new ContainerRemoveParameters { Force = true });
            }
        }
        finally
        {
            if (agent is not null) await agent.DisposeAsync();
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(agentId);
            BerthFixture.TryDelete(data);
            BerthFixture.TryDelete(scratch);
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string rule)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status} {rule}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(rule, JsonDocument.Parse(body).RootElement.GetProperty("rule").GetString());
        }
    }

    private static async Task<JsonElement> WaitForAgentAsync(CliRunner admin, string agentId, string status)
    {
        JsonElement last = default;
        for (var i = 0; i < 120; i++)
        {
            foreach (var a in Json(await admin.RunAsync("admin", "agent", "list", "--json")).EnumerateArray())
            {
                if (a.GetProperty("id").GetString() != agentId) continue;
                last = a;
                if (a.GetProperty("status").GetString() == status) return a;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"agent {agentId} never became {status}: {last}");
    }

    private static async Task<JsonElement> WaitForWarningsAsync(CliRunner admin, string session, Func<IReadOnlyList<string>, bool> wanted)
    {
        JsonElement info = default;
        for (var i = 0; i < 100; i++)
        {
            info = await InfoAsync(admin, session);
            if (wanted(info.GetProperty("warnings").EnumerateArray().Select(w => w.GetString() ?? "").ToList())) return info;
            await Task.Delay(250);
        }
        throw new TimeoutException($"session {session} never showed the expected warnings: {info}");
    }
}
