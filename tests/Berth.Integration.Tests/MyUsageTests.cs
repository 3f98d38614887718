using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>GET /api/me/usage: a plain user reads their own policy limits beside what their sessions hold, and the groups' free capacity.</summary>
[Collection(BerthCollection.Name)]
public sealed class MyUsageTests(BerthFixture fixture)
{
    [Fact]
    public async Task A_plain_user_sees_their_policy_limits_their_running_session_and_the_default_groups_free_capacity()
    {
        var (email, cli) = await fixture.NewUserAsync("usage");
        using var admin = fixture.ClientFor(fixture.Admin);
        var policy = BerthFixture.UniqueName("pol");
        await admin.SaveResourcePolicyAsync(new ResourcePolicyDto(policy, 3, "cpu=4 mem=2g", null, null, null, null));
        await admin.AssignResourcePolicyAsync(email, policy);
        using var api = fixture.ClientFor(cli);

        var before = await api.GetMyUsageAsync();
        Assert.Equal(email, before.Email);
        Assert.Equal(policy, before.Policy);
        Assert.Equal(3, before.MaxConcurrentSessions);
        Assert.Equal(0, before.LiveSessions);
        Assert.Equal(4m, before.MaxTotalSlots!["cpu"]);
        Assert.Equal(2m * 1024 * 1024 * 1024, before.MaxTotalSlots["mem"]);
        Assert.Equal(0m, before.Occupied.GetValueOrDefault("cpu"));
        var group = Assert.Single(before.Groups, g => g.Name == "default");
        Assert.True(group.AliveAgents >= 1);
        Assert.True(group.Free["cpu"] <= group.Capacity["cpu"]);

        var name = BerthFixture.UniqueName("use");
        await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, Resources: new ResourceRequestDto(Cpu: 1, MemoryBytes: 256L * 1024 * 1024)));
        try
        {
            await WaitForAsync(cli, name, "RUNNING");
            var after = await api.GetMyUsageAsync();
            Assert.Equal(1, after.LiveSessions);
            Assert.Equal(1m, after.Occupied["cpu"]);
            Assert.Equal(256m * 1024 * 1024, after.Occupied["mem"]);

            // The CLI reads the same: --json for scripts, a table for people.
            var json = CliAssert.Json(await cli.RunAsync("resource", "usage", "--json"));
            Assert.Equal(1, json.GetProperty("liveSessions").GetInt32());
            Assert.Equal(policy, json.GetProperty("policy").GetString());
            var human = CliAssert.Succeeded(await cli.RunAsync("resource", "usage"));
            Assert.Contains($"Resource policy {policy}.", human.Stderr); // notes go to stderr, tables to stdout
            var table = human.Stdout;
            Assert.Matches(@"sessions\s+.?\s*1\s+.?\s*3", table);
        }
        finally
        {
            await DestroyAsync(cli, name);
        }
    }

    [Fact]
    public async Task Usage_needs_a_signed_in_caller()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.Endpoint };
        var response = await anonymous.GetAsync("api/me/usage");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
