using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 4 acceptance 1: three agents as separate processes; dispersed spreads sessions, concentrated packs them.</summary>
[Collection(BerthCollection.Name)]
public class PlacementTests
{
    [Fact]
    public async Task Dispersed_spreads_over_agents_and_concentrated_packs_one()
    {
        var data = Directory.CreateTempSubdirectory("berth-place-").FullName;
        var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>(), extraArgs: ["--no-agent"]);
        var agents = new List<AgentProcess>();
        try
        {
            foreach (var n in new[] { "a", "b", "c" })
                agents.Add(await AgentProcess.StartAsync(server, $"{server.AgentId}-{n}", Directory.CreateTempSubdirectory("berth-place-scratch-").FullName, cpu: "4", mem: "4g"));
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            for (var i = 0; i < 100 && Json(await admin.RunAsync("admin", "agent", "list", "--json")).EnumerateArray().Count(a => a.GetProperty("status").GetString() == "ALIVE") < 3; i++)
                await Task.Delay(200);
            Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));

            Succeeded(await admin.RunAsync("admin", "resource-group", "update", "default", "--agent-selection", "dispersed"));
            var spread = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", $"spread-{i}", "-r", "cpu=1", "-r", "mem=256m", "--wait"));
                spread.Add((await InfoAsync(admin, $"spread-{i}")).GetProperty("agent").GetString()!);
            }
            Assert.Equal(3, spread.Distinct().Count());

            Succeeded(await admin.RunAsync("admin", "resource-group", "update", "default", "--agent-selection", "concentrated"));
            var packed = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", $"pack-{i}", "-r", "cpu=1", "-r", "mem=256m", "--wait"));
                packed.Add((await InfoAsync(admin, $"pack-{i}")).GetProperty("agent").GetString()!);
            }
            Assert.Single(packed.Distinct());

            var listed = Json(await admin.RunAsync("admin", "agent", "list", "--json")).EnumerateArray()
                .ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("occupied").GetProperty("cpu").GetDecimal());
            Assert.Equal(4m, listed[packed[0]]); // one agent filled up, none over
            Assert.All(listed.Values, cpu => Assert.True(cpu <= 4m));

            foreach (var name in Enumerable.Range(0, 3).SelectMany(i => new[] { $"spread-{i}", $"pack-{i}" })) await DestroyAsync(admin, name);
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
                await TestDocker.RemoveContainersOfAgentAsync(agent.AgentId);
            }
            await server.DisposeAsync();
            BerthFixture.TryDelete(data);
        }
    }
}
