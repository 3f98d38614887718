using Berth.Agent.Runtime;
using Berth.Integration.Tests.Infrastructure;
using Docker.DotNet.Models;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 3 acceptance 6: a server killed with -9 and restarted loses nothing and duplicates nothing.</summary>
[Collection(BerthCollection.Name)]
public class SessionRecoveryTests
{
    [Fact]
    public async Task Sessions_survive_a_hard_kill_of_the_server()
    {
        var data = Directory.CreateTempSubdirectory("berth-crash-").FullName;
        var settings = new Dictionary<string, string?>(); // its own embedded SQLite database
        var server = await ServerProcess.StartAsync(data, settings);
        try
        {
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
            Succeeded(await admin.RunAsync("vfolder", "create", "keep"));
            string[] names = ["crash-a", "crash-b", "crash-c"];
            foreach (var n in names) Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", n, "-m", "keep", "--wait"));
            await ExecAsync(admin, "crash-a", "sh", "-c", "echo before > /home/work/keep/marker");

            // A container labelled for this agent whose session the manager has never heard of.
            using (var docker = TestDocker.Client())
            {
                await docker.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Image = TestDocker.MinimalReference, Cmd = ["sleep", "600"],
                    Labels = new Dictionary<string, string> { [ContainerLabels.Agent] = server.AgentId, [ContainerLabels.KernelId] = Guid.NewGuid().ToString() },
                });
            }

            await server.KillHardAsync();
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(data, settings, server.AgentId, server.Port);

            foreach (var n in names)
            {
                Assert.Equal("RUNNING", (await InfoAsync(admin, n)).GetProperty("status").GetString());
                Assert.Equal("1000\n", await ExecAsync(admin, n, "id", "-u"));
            }
            Assert.Equal("before\n", await ExecAsync(admin, "crash-c", "cat", "/home/work/keep/marker"));

            var containers = (await TestDocker.ContainersOfAgentAsync(server.AgentId)).Where(c => c.State != "removing").ToList();
            for (var i = 0; i < 50 && containers.Count != names.Length; i++)
            {
                await Task.Delay(200); // the orphan goes in the agent's first rounds
                containers = (await TestDocker.ContainersOfAgentAsync(server.AgentId)).ToList();
            }
            Assert.Equal(names.Length, containers.Count);
            Assert.All(containers, c => Assert.Equal("running", c.State));

            foreach (var n in names) await DestroyAsync(admin, n);
            Assert.Empty(await TestDocker.ContainersOfAgentAsync(server.AgentId));
        }
        finally
        {
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(server.AgentId);
            BerthFixture.TryDelete(data);
        }
    }
}
