using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Bug 9: `berth admin agent list` showed what an agent holds without the cluster's extra containers or GPUs, so it
/// disagreed with what the scheduler placed by; the launcher's remaining resources read the same accounting. Its own
/// server, so that every session on the agent is the test's.
/// </summary>
public class AgentOccupancyTests
{
    [Fact]
    public async Task Agent_list_occupancy_is_the_schedulers_accounting_with_a_cluster_running()
    {
        var data = Directory.CreateTempSubdirectory("berth-occ-").FullName;
        var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?> { ["Agent:Cpu"] = "16", ["Agent:MemoryBytes"] = (32L << 30).ToString() });
        try
        {
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "pair", "--cluster-size", "2", "-r", "cpu=1.5", "-r", "mem=256m", "--wait"));
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "single", "-r", "cpu=1", "-r", "mem=128m", "--wait"));

            var agent = Json(await admin.RunAsync("admin", "agent", "list", "--json")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == server.AgentId);
            var occupied = agent.GetProperty("occupied");
            // Two containers of 1.5 CPU and 256 MiB, and one of 1 CPU and 128 MiB.
            Assert.Equal(4m, occupied.GetProperty("cpu").GetDecimal());
            Assert.Equal(640m * 1024 * 1024, occupied.GetProperty("mem").GetDecimal());
            // The agent declares its GPUs (none here): occupancy lists the same slots.
            foreach (var slot in agent.GetProperty("capacity").EnumerateObject())
                Assert.True(occupied.TryGetProperty(slot.Name, out _), $"occupancy lacks {slot.Name}: {occupied}");

            // The scheduler's own view: what is left to start equals capacity less that occupancy.
            var check = Json(await admin.RunAsync("resource", "check-presets", "--json")).GetProperty("remaining");
            foreach (var slot in new[] { "cpu", "mem" })
                Assert.Equal(agent.GetProperty("capacity").GetProperty(slot).GetDecimal() - occupied.GetProperty(slot).GetDecimal(),
                    check.GetProperty(slot).GetDecimal());

            // The launcher's sliders (GET /api/resource/remaining): the group's free slots and the freest agent's, from the
            // same accounting, and a user's policy headroom kept apart from them.
            using var api = BerthFixture.ClientFor(server.Endpoint, admin);
            var remaining = await api.GetRemainingResourcesAsync();
            Assert.Equal("default", remaining.ResourceGroup);
            foreach (var slot in new[] { "cpu", "mem" })
            {
                var free = agent.GetProperty("capacity").GetProperty(slot).GetDecimal() - occupied.GetProperty(slot).GetDecimal();
                Assert.Equal(free, remaining.Group[slot]);
                Assert.Equal(free, remaining.LargestAgent[slot]);
            }
            await api.CreateUserAsync(new Berth.Core.Contracts.CreateUserRequest("capped@example.com", "violet-otter-quietly", "user"));
            await api.SaveResourcePolicyAsync(new Berth.Core.Contracts.ResourcePolicyDto("capped", null, "cpu=8 mem=4g", null, null, null, null));
            await api.AssignResourcePolicyAsync("capped@example.com", "capped");
            var capped = await api.GetRemainingResourcesAsync("default", "capped@example.com");
            Assert.Equal("capped@example.com", capped.Email);
            Assert.Equal(8m, capped.User!["cpu"]);
            Assert.Equal(4m * 1024 * 1024 * 1024, capped.User["mem"]);
            Assert.Equal(remaining.Group["cpu"], capped.Group["cpu"]);

            await DestroyAsync(admin, "pair");
            await DestroyAsync(admin, "single");
            var after = Json(await admin.RunAsync("admin", "agent", "list", "--json")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == server.AgentId);
            Assert.Equal(0m, after.GetProperty("occupied").GetProperty("cpu").GetDecimal());
        }
        finally
        {
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(server.AgentId);
            BerthFixture.TryDelete(data);
        }
    }
}
