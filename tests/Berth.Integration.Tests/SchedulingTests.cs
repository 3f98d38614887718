using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 4 acceptance 2, 3 and 4 on one agent whose declared capacity is small (cpu=2), so that
/// queueing is visible. Each test runs its own server.
/// </summary>
[Collection(BerthCollection.Name)]
public class SchedulingTests
{
    private static async Task<(ServerProcess Server, CliRunner Admin)> StartSmallServerAsync()
    {
        var data = Directory.CreateTempSubdirectory("berth-sched-").FullName;
        var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?> { ["Agent:Cpu"] = "2", ["Agent:MemoryBytes"] = (8L << 30).ToString() });
        var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
        return (server, admin);
    }

    private static async Task StopAsync(ServerProcess server)
    {
        await server.DisposeAsync();
        await TestDocker.RemoveContainersOfAgentAsync(server.AgentId);
        BerthFixture.TryDelete(server.DataDirectory);
    }

    private static async Task<CliRunner> UserAsync(ServerProcess server, CliRunner admin, string email)
    {
        Succeeded(await admin.RunAsync("admin", "user", "create", email, "--password", "violet-otter-quietly"));
        var cli = await CliRunner.LoginAsync(server.Endpoint, email, "violet-otter-quietly");
        return cli;
    }

    private static IReadOnlyList<string> Reasons(JsonElement info) =>
        info.TryGetProperty("waitReasons", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.GetProperty("message").GetString()!).ToList() : [];

    [Fact]
    public async Task A_session_that_does_not_fit_waits_saying_why_and_starts_when_room_frees()
    {
        var (server, admin) = await StartSmallServerAsync();
        try
        {
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "bigone", "-r", "cpu=2", "--wait"));
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "waiting", "-r", "cpu=1"));
            var pending = await WaitForReasonAsync(admin, "waiting");
            Assert.Equal("PENDING", pending.GetProperty("status").GetString());
            Assert.Equal(1, pending.GetProperty("queuePosition").GetInt32());
            Assert.Contains(Reasons(pending), m => m.Contains("no agent has room"));
            Assert.Contains("Waiting because", Succeeded(await admin.RunAsync("session", "info", "waiting")).Stdout);

            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "never", "-r", "cpu=64"));
            var never = await WaitForReasonAsync(admin, "never");
            Assert.Contains(never.GetProperty("waitReasons").EnumerateArray(), r => r.GetProperty("permanent").GetBoolean()
                && r.GetProperty("message").GetString()!.Contains("cpu=64") && r.GetProperty("message").GetString()!.Contains("largest agent"));

            // No GPU on this agent: a GPU request can never start here, and says so.
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "wants-gpu", "-r", "cuda.device=1"));
            var gpu = await WaitForReasonAsync(admin, "wants-gpu");
            Assert.Contains(gpu.GetProperty("waitReasons").EnumerateArray(), r => r.GetProperty("permanent").GetBoolean()
                && r.GetProperty("message").GetString()!.Contains("cuda.device"));
            await DestroyAsync(admin, "wants-gpu");

            await DestroyAsync(admin, "bigone");
            Assert.Equal("RUNNING", (await WaitForAsync(admin, "waiting", "RUNNING")).GetProperty("status").GetString());
            Assert.Equal("PENDING", (await InfoAsync(admin, "never")).GetProperty("status").GetString());
            await DestroyAsync(admin, "waiting");
            await DestroyAsync(admin, "never");
        }
        finally { await StopAsync(server); }
    }

    [Fact]
    public async Task Drf_places_the_light_user_first_fifo_the_oldest_and_lifo_the_newest()
    {
        var (server, admin) = await StartSmallServerAsync();
        try
        {
            var heavy = await UserAsync(server, admin, "heavy@berth.test");
            var light = await UserAsync(server, admin, "light@berth.test");
            foreach (var (order, expected) in new[] { ("drf", "light"), ("fifo", "heavy"), ("lifo", "light") })
            {
                Succeeded(await admin.RunAsync("admin", "resource-group", "update", "default", "--scheduler", order));
                Succeeded(await heavy.RunAsync("session", "create", "minimal", "-t", $"h-run-{order}", "-r", "cpu=1", "--wait"));
                Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", $"filler-{order}", "-r", "cpu=1", "--wait"));
                Succeeded(await heavy.RunAsync("session", "create", "minimal", "-t", $"h-wait-{order}", "-r", "cpu=1"));
                await WaitForReasonAsync(heavy, $"h-wait-{order}");
                Succeeded(await light.RunAsync("session", "create", "minimal", "-t", $"l-wait-{order}", "-r", "cpu=1"));
                await WaitForReasonAsync(light, $"l-wait-{order}");

                var (winner, loser) = expected == "light" ? (light, heavy) : (heavy, light);
                var (winnerName, loserName) = expected == "light" ? ($"l-wait-{order}", $"h-wait-{order}") : ($"h-wait-{order}", $"l-wait-{order}");
                // A round with both waiting (light's reason was written by one) put them in the order's queue.
                Assert.Equal(1, (await InfoAsync(winner, winnerName)).GetProperty("queuePosition").GetInt32());
                Assert.Equal(2, (await InfoAsync(loser, loserName)).GetProperty("queuePosition").GetInt32());

                await DestroyAsync(admin, $"filler-{order}"); // room for exactly one of the two
                await WaitForAsync(winner, winnerName, "RUNNING");
                // The round that placed the winner still counted it in the queue (the loser second); the loser is
                // first only in a round that ran after the winner held its slots — and that round kept it waiting.
                var after = await WaitForQueuePositionAsync(loser, loserName, 1);
                Assert.Equal("PENDING", after.GetProperty("status").GetString());
                Assert.Contains(Reasons(after), m => m.Contains("no agent has room"));

                foreach (var (cli, name) in new[] { (heavy, $"h-run-{order}"), (winner, winnerName), (loser, loserName) })
                    await DestroyAsync(cli, name);
            }
        }
        finally { await StopAsync(server); }
    }

    [Fact]
    public async Task Starts_at_holds_a_batch_session_and_batch_timeout_ends_one()
    {
        var (server, admin) = await StartSmallServerAsync();
        try
        {
            var started = DateTimeOffset.UtcNow;
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "later", "--type", "batch", "-c", "sleep 1", "--starts-at", "20s"));
            Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "capped", "--type", "batch", "-c", "sleep 600", "--batch-timeout", "5s"));

            var held = await WaitForReasonAsync(admin, "later");
            Assert.Contains(Reasons(held), m => m.Contains("scheduled to start at"));
            var ran = await WaitForAsync(admin, "later", "RUNNING", "TERMINATED");
            var firstRun = ran.GetProperty("statusHistory").EnumerateArray().First(h => h.GetProperty("status").GetString() == "SCHEDULED").GetProperty("at").GetDateTimeOffset();
            Assert.True(firstRun - started >= TimeSpan.FromSeconds(19), $"scheduled after {(firstRun - started).TotalSeconds:0.0} s");

            var capped = await WaitForAsync(admin, "capped", "TERMINATED");
            Assert.Equal("batch-timeout", capped.GetProperty("statusReason").GetString());
            var runFor = capped.GetProperty("terminatedAt").GetDateTimeOffset() - capped.GetProperty("startedAt").GetDateTimeOffset();
            Assert.InRange(runFor.TotalSeconds, 4.5, 30);
        }
        finally { await StopAsync(server); }
    }

    /// <summary>
    /// Waits until a scheduling round has written <paramref name="position"/> as the session's place in the queue, or
    /// the session left the queue (then the caller's assertion on its status fails with what happened).
    /// </summary>
    private static async Task<JsonElement> WaitForQueuePositionAsync(CliRunner cli, string name, int position)
    {
        JsonElement info = default;
        for (var i = 0; i < 100; i++)
        {
            info = await InfoAsync(cli, name);
            if (info.GetProperty("status").GetString() != "PENDING") return info;
            if (info.TryGetProperty("queuePosition", out var p) && p.ValueKind == JsonValueKind.Number && p.GetInt32() == position) return info;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{name} never got queue position {position}: {info}");
    }

    /// <summary>Waits until the scheduler has looked at the pending session at least once and said why it waits.</summary>
    private static async Task<JsonElement> WaitForReasonAsync(CliRunner cli, string name)
    {
        for (var i = 0; i < 100; i++)
        {
            var info = await InfoAsync(cli, name);
            if (Reasons(info).Count > 0) return info;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{name} never got a wait reason");
    }
}
