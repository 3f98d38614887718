using System.Diagnostics;
using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 6 acceptance, in real time on one server whose idle checks and stats run every second. The resource
/// group sets a 20 s network idle timeout; policies lay a 30 s lifetime or the utilization check over it (and
/// switch the network check off, so the checkers do not interfere). The scenarios run side by side.
/// </summary>
[Collection(BerthCollection.Name)]
public class IdleCheckTests
{
    private static DateTimeOffset At(JsonElement e, string property) => e.GetProperty(property).GetDateTimeOffset();

    /// <summary>When the session was moved to TERMINATING, from its history.</summary>
    private static DateTimeOffset TerminatingAt(JsonElement info) =>
        info.GetProperty("statusHistory").EnumerateArray().First(h => h.GetProperty("status").GetString() == "TERMINATING").GetProperty("at").GetDateTimeOffset();

    private static JsonElement Checker(JsonElement info, string name) =>
        info.GetProperty("idleChecks").EnumerateArray().First(c => c.GetProperty("checker").GetString() == name);

    private static async Task<CliRunner> UserAsync(ServerProcess server, CliRunner admin, string email, string? policy)
    {
        Succeeded(await admin.RunAsync("admin", "user", "create", email, "--password", "violet-otter-quietly"));
        if (policy is not null) Succeeded(await admin.RunAsync("admin", "policy", "assign", email, policy));
        return await CliRunner.LoginAsync(server.Endpoint, email, "violet-otter-quietly");
    }

    private static Task<JsonElement> EndedAsync(CliRunner cli, string name) => WaitForAsync(cli, name, "TERMINATING", "TERMINATED");

    /// <summary>Polls `session info` until <paramref name="done"/> holds; fails after 90 s instead of hanging.</summary>
    private static async Task<JsonElement> UntilAsync(CliRunner cli, string name, Func<JsonElement, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        JsonElement info;
        while (!done(info = await InfoAsync(cli, name)))
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"{name} never reached the expected state: {info}");
            await Task.Delay(250);
        }
        return info;
    }

    [Fact]
    public async Task Network_lifetime_and_utilization_checks_end_idle_sessions_and_spare_busy_ones()
    {
        var data = Directory.CreateTempSubdirectory("berth-idle-").FullName;
        var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>
        {
            ["IdleChecks:Interval"] = "00:00:01",
            ["Agent:StatsInterval"] = "00:00:01",
        });
        try
        {
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
            FailedWith(await admin.RunAsync("admin", "resource-group", "update", "default", "--idle-utilization", "cpu=101"), "idle-threshold-invalid");
            var group = Json(await admin.RunAsync("admin", "resource-group", "update", "default", "--idle-network-timeout", "20s", "--idle-max-extension", "40s", "--json"));
            Assert.Equal(20, group.GetProperty("idleChecks").GetProperty("networkTimeoutSeconds").GetDouble());
            Succeeded(await admin.RunAsync("admin", "policy", "create", "idle-life", "--max-lifetime", "30s", "--idle-network-timeout", "off"));
            Succeeded(await admin.RunAsync("admin", "policy", "create", "idle-util", "--idle-network-timeout", "off",
                "--idle-utilization", "grace=10s,window=10s,cpu=5,op=and"));
            var net = await UserAsync(server, admin, "idle-net@berth.test", null);
            var life = await UserAsync(server, admin, "idle-life@berth.test", "idle-life");
            var util = await UserAsync(server, admin, "idle-util@berth.test", "idle-util");

            await Task.WhenAll(NetworkAsync(net, admin, server.Endpoint), LifetimeAsync(life, server.Endpoint), UtilizationAsync(util));
        }
        finally
        {
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(server.AgentId);
            BerthFixture.TryDelete(server.DataDirectory);
        }
    }

    /// <summary>Acceptance 1 (a terminal, and exec, keep their sessions alive) and 4, keep-alive limits, and an admin's exemption.</summary>
    private static async Task NetworkAsync(CliRunner net, CliRunner admin, Uri endpoint)
    {
        foreach (var created in await Task.WhenAll(
            Task.Run(() => net.RunAsync("session", "create", "minimal", "-t", "net-idle", "--wait")),
            Task.Run(() => net.RunAsync("session", "create", "minimal", "-t", "net-busy", "--wait")),
            Task.Run(() => net.RunAsync("session", "create", "minimal", "-t", "net-exempt", "--wait")),
            Task.Run(() => net.RunAsync("session", "create", "minimal", "-t", "net-term", "--wait"))))
            Succeeded(created);
        // The 20 s timeout runs from each start, whatever the machine's load: the traffic that keeps net-busy and
        // net-term alive and the exemption of net-exempt begin at once (through the SDK: milliseconds, not a CLI
        // start each), and the slower checks on net-idle run alongside.
        using var client = BerthFixture.ClientFor(endpoint, net);
        await using var terminal = new Berth.Core.Terminals.WebSocketTerminal(await client.ConnectTerminalAsync("net-term", 80, 24));
        var drained = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (await terminal.ReadAsync(buffer, CancellationToken.None) > 0) { }
        });
        var exemptId = (await client.GetSessionAsync("net-exempt")).Id.ToString();
        var exempting = admin.RunAsync("admin", "session", "exempt", exemptId, "--json");
        // net-busy gets a command every few seconds, net-term input typed into its terminal (and no keep-alive),
        // well past the 20 s timeout: bounded, 30 s of traffic.
        var traffic = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Assert.Equal(0, (await client.ExecAsync("net-busy", ["true"])).ExitCode);
                await terminal.WriteAsync("echo typing\r"u8.ToArray(), CancellationToken.None);
                await Task.Delay(3000);
            }
        });
        var busyStart = (await client.GetSessionAsync("net-busy")).StartedAt!.Value;
        var termStart = (await client.GetSessionAsync("net-term")).StartedAt!.Value;
        Assert.True(Json(await exempting).GetProperty("idleExempt").GetBoolean());

        var first = await WaitForAsync(net, "net-idle", "RUNNING");
        var remaining1 = Checker(first, "network-timeout").GetProperty("remainingSeconds").GetDouble();
        Assert.InRange(remaining1, 0, 20); // never more than the group's timeout
        Assert.False(Checker(first, "session-lifetime").GetProperty("enabled").GetBoolean());
        // Without traffic the deadline only comes closer: wait for the server to say so (bounded), rather than sleep.
        var second = await UntilAsync(net, "net-idle",
            info => info.GetProperty("status").GetString() != "RUNNING" || Checker(info, "network-timeout").GetProperty("remainingSeconds").GetDouble() < remaining1);
        Assert.Equal("RUNNING", second.GetProperty("status").GetString());
        Assert.Contains("network-timeout", Succeeded(await net.RunAsync("session", "info", "net-idle")).Stdout);

        FailedWith(await net.RunAsync("session", "keep-alive", "net-busy", "--seconds", "60s"), "keep-alive-too-long");
        var askedFrom = DateTimeOffset.UtcNow;
        var kept = Checker(Json(await net.RunAsync("session", "keep-alive", "net-busy", "--seconds", "40s", "--json")), "network-timeout");
        var askedUntil = DateTimeOffset.UtcNow;
        // The server set the deadline to its "now" (within the call) plus 40 s: a bracket, whatever the machine's load.
        var extendedUntil = kept.GetProperty("extendedUntil").GetDateTimeOffset();
        Assert.InRange(extendedUntil, askedFrom.AddSeconds(40).AddMilliseconds(-50), askedUntil.AddSeconds(40).AddMilliseconds(50));
        Assert.InRange(kept.GetProperty("remainingSeconds").GetDouble(), 0, 40);
        await traffic.WaitAsync(TimeSpan.FromMinutes(3));

        var idle = await EndedAsync(net, "net-idle");
        Assert.StartsWith("idle-timeout", idle.GetProperty("statusReason").GetString());
        Assert.True(TerminatingAt(idle) - At(idle, "startedAt") >= TimeSpan.FromSeconds(20), idle.ToString());

        var busy = await InfoAsync(net, "net-busy");
        Assert.Equal("RUNNING", busy.GetProperty("status").GetString());
        Assert.True(DateTimeOffset.UtcNow - busyStart > TimeSpan.FromSeconds(25));
        var typed = await InfoAsync(net, "net-term");
        Assert.Equal("RUNNING", typed.GetProperty("status").GetString());
        Assert.True(DateTimeOffset.UtcNow - termStart > TimeSpan.FromSeconds(25));
        Assert.Equal(JsonValueKind.Null, Checker(typed, "network-timeout").GetProperty("extendedUntil").ValueKind);
        // Typing moved the deadline past the first 20 s (asserted by RUNNING above); it is never beyond the timeout.
        Assert.InRange(Checker(typed, "network-timeout").GetProperty("remainingSeconds").GetDouble(), 0, 20);
        await terminal.WriteAsync("exit\r"u8.ToArray(), CancellationToken.None);
        await drained.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("RUNNING", (await InfoAsync(net, "net-exempt")).GetProperty("status").GetString());
        Assert.True(Checker(await InfoAsync(net, "net-exempt"), "network-timeout").GetProperty("exempt").GetBoolean());
        await DestroyAsync(net, "net-busy");
        await DestroyAsync(net, "net-exempt");
        await DestroyAsync(net, "net-term");
        Assert.Equal("idle-timeout", (await WaitForAsync(net, "net-idle", "TERMINATED")).GetProperty("statusReason").GetString());
    }

    /// <summary>Acceptance 2: ends once its 30 s lifetime is over, never before (the exact moment is IdleEvaluator's, unit-tested on a fake clock).</summary>
    private static async Task LifetimeAsync(CliRunner life, Uri endpoint)
    {
        // The event stream (all of this user's sessions) announces the end ahead. The server subscribes before it
        // answers, so once the response's headers are here no later event can be missed: no sleep "to let it connect".
        using var client = BerthFixture.ClientFor(endpoint, life);
        using var http = new HttpClient(new Berth.Client.SigningHandler(() => client.Credentials, new SocketsHttpHandler()))
            { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan };
        using var stopReading = new CancellationTokenSource();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/events"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var announced = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
            try
            {
                while (await stream.ReadLineAsync(stopReading.Token) is { } line)
                    lock (announced) announced.AppendLine(line);
            }
            catch (OperationCanceledException) { }
        });
        Succeeded(await life.RunAsync("session", "create", "minimal", "-t", "life", "--wait"));
        var running = await InfoAsync(life, "life");
        Assert.False(Checker(running, "network-timeout").GetProperty("enabled").GetBoolean()); // the policy switched it off
        Assert.InRange(Checker(running, "session-lifetime").GetProperty("remainingSeconds").GetDouble(), 1, 30);
        var ended = await EndedAsync(life, "life");
        Assert.Equal("idle-session-lifetime", ended.GetProperty("statusReason").GetString());
        var lived = TerminatingAt(ended) - At(ended, "startedAt");
        Assert.True(lived >= TimeSpan.FromSeconds(30), $"ended after {lived.TotalSeconds:0.0} s, before its 30 s lifetime");
        stopReading.Cancel();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        string stream;
        lock (announced) stream = announced.ToString();
        Assert.Contains("idle-imminent: idle-session-lifetime", stream);
    }

    /// <summary>Acceptance 3 and the averages of acceptance 4.</summary>
    private static async Task UtilizationAsync(CliRunner util)
    {
        foreach (var created in await Task.WhenAll(
            Task.Run(() => util.RunAsync("session", "create", "minimal", "-t", "util-idle", "--wait")),
            Task.Run(() => util.RunAsync("session", "create", "minimal", "-t", "util-busy", "--type", "batch", "-r", "cpu=1",
                "-c", "while :; do :; done"))))
            Succeeded(created);
        var inGrace = await WaitForAsync(util, "util-idle", "RUNNING");
        var check = Checker(inGrace, "utilization");
        Assert.True(check.GetProperty("enabled").GetBoolean());
        Assert.Equal(5, check.GetProperty("thresholds").GetProperty("cpu").GetDouble());
        Assert.Equal("and", check.GetProperty("operator").GetString());

        var idle = await EndedAsync(util, "util-idle");
        Assert.Equal("idle-utilization", idle.GetProperty("statusReason").GetString());
        Assert.True(TerminatingAt(idle) - At(idle, "startedAt") >= TimeSpan.FromSeconds(10), "ended within the grace period: " + idle);

        await WaitForAsync(util, "util-busy", "RUNNING");
        // Past the grace period, with a full window and measured averages, by the server's own account (remaining 0:
        // it may judge now, and it has samples to judge by).
        var busy = await UntilAsync(util, "util-busy", info => info.GetProperty("status").GetString() != "RUNNING"
            || Checker(info, "utilization") is var u && u.GetProperty("remainingSeconds").GetDouble() == 0
               && u.TryGetProperty("averages", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("cpu", out _));
        Assert.Equal("RUNNING", busy.GetProperty("status").GetString());
        var averages = Checker(busy, "utilization").GetProperty("averages");
        Assert.True(averages.GetProperty("cpu").GetDouble() > 5, busy.ToString());
        Assert.True(averages.TryGetProperty("mem", out _));
        Assert.False(Checker(busy, "utilization").GetProperty("idle").GetBoolean());
        await DestroyAsync(util, "util-busy");
    }
}
