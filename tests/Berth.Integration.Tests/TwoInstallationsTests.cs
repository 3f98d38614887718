using Berth.Agent.Runtime;
using Berth.Integration.Tests.Infrastructure;
using Docker.DotNet.Models;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 11, acceptance 1: two all-in-one servers with default settings on one Docker engine keep their own
/// sessions. Each installation's agent has an id of its own (made once in its data directory), and agents only
/// touch containers labelled with their own id.
/// </summary>
[Collection(BerthCollection.Name)]
public class TwoInstallationsTests
{
    [Fact]
    public async Task Two_default_servers_on_one_engine_keep_their_own_sessions()
    {
        var dataA = Directory.CreateTempSubdirectory("berth-two-a-").FullName;
        var dataB = Directory.CreateTempSubdirectory("berth-two-b-").FullName;
        ServerProcess? a = null, b = null;
        try
        {
            a = await ServerProcess.StartAsync(dataA, new Dictionary<string, string?>(), ServerProcess.InstallationAgentId);
            b = await ServerProcess.StartAsync(dataB, new Dictionary<string, string?>(), ServerProcess.InstallationAgentId);
            Assert.NotEqual(a.AgentId, b.AgentId);
            Assert.StartsWith("local-", a.AgentId);

            var adminA = await UseAsync(a);
            var adminB = await UseAsync(b);

            // Both batches run while the other server's agent is reconciling the same engine.
            var batchA = RunBatchAsync(adminA, "batch-a");
            var batchB = RunBatchAsync(adminB, "batch-b");
            foreach (var ended in await Task.WhenAll(batchA, batchB))
            {
                Assert.Equal("TERMINATED", ended.GetProperty("status").GetString());
                Assert.Equal(3, ended.GetProperty("exitCode").GetInt32());
            }
            Assert.Equal("RUNNING", (await InfoAsync(adminA, "live-a")).GetProperty("status").GetString());
            Assert.Equal("RUNNING", (await InfoAsync(adminB, "live-b")).GetProperty("status").GetString());

            // Restart A with an orphan of its own planted: once it is gone, A's agent has reconciled the engine.
            var port = a.Port;
            await a.DisposeAsync();
            string orphan;
            using (var docker = TestDocker.Client())
            {
                orphan = (await docker.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Image = TestDocker.MinimalReference, Cmd = ["sleep", "600"],
                    Labels = new Dictionary<string, string> { [ContainerLabels.Agent] = a.AgentId, [ContainerLabels.KernelId] = Guid.NewGuid().ToString() },
                })).ID;
            }
            var agentA = a.AgentId;
            a = await ServerProcess.StartAsync(dataA, new Dictionary<string, string?>(), ServerProcess.InstallationAgentId, port);
            Assert.Equal(agentA, a.AgentId);
            Assert.True(await GoneWithinAsync(orphan, TimeSpan.FromSeconds(60)), "server A's agent never removed its own orphan");

            Assert.Equal("1000\n", await ExecAsync(adminA, "live-a", "id", "-u"));
            Assert.Equal("1000\n", await ExecAsync(adminB, "live-b", "id", "-u"));
            Assert.Single(await TestDocker.ContainersOfAgentAsync(a.AgentId));
            Assert.Single(await TestDocker.ContainersOfAgentAsync(b.AgentId));

            await DestroyAsync(adminA, "live-a");
            await DestroyAsync(adminB, "live-b");
        }
        finally
        {
            foreach (var s in new[] { a, b })
            {
                if (s is null) continue;
                await s.DisposeAsync();
                await TestDocker.RemoveContainersOfAgentAsync(s.AgentId);
            }
            BerthFixture.TryDelete(dataA);
            BerthFixture.TryDelete(dataB);
        }
    }

    private static async Task<CliRunner> UseAsync(ServerProcess server)
    {
        var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
        var live = server.DataDirectory.Contains("-two-a-", StringComparison.Ordinal) ? "live-a" : "live-b";
        Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", live, "--wait"));
        return admin;
    }

    private static async Task<System.Text.Json.JsonElement> RunBatchAsync(CliRunner admin, string name)
    {
        var created = await admin.RunAsync("session", "create", "minimal", "-t", name, "--type", "batch", "-c", "echo hi; exit 3", "--wait");
        Assert.Equal(1, created.ExitCode); // --wait exits 1 for a failed batch
        return await InfoAsync(admin, name);
    }

    private static async Task<bool> GoneWithinAsync(string containerId, TimeSpan limit)
    {
        using var docker = TestDocker.Client();
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var found = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true, Filters = new Dictionary<string, IDictionary<string, bool>> { ["id"] = new Dictionary<string, bool> { [containerId] = true } },
            });
            if (found.Count == 0) return true;
            await Task.Delay(200);
        }
        return false;
    }
}
