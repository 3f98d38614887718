using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Client;
using Berth.Core.Contracts;

namespace Berth.Bench;

/// <summary>
/// Scheduler throughput (issue 4, issue 14): N sessions wait PENDING in a resource group that has no agents; then
/// 100 agents join it through the agent API, declaring capacity for all of them, and the scheduler places them.
/// Decisions per second come from the sessions' own SCHEDULED timestamps (their status history, read back through
/// the API), counted from the moment the first agent's sync was sent. The agents are fakes: nothing but heartbeats
/// and a control URL that accepts connections and closes them, so a nudge fails at once and no container starts —
/// the SCHEDULED sessions simply stay there, which is all this measures.
/// </summary>
internal static class SchedulerBench
{
    public const int Agents = 100;
    public const double SlurmJobsPerSecond = 500; // Slurm's documented sustained job-submission/scheduling rate

    public const string Group = "bench-sched";

    /// <summary>The queue: <paramref name="count"/> sessions created through the API, PENDING in a group that has no agents yet.</summary>
    public static async Task<int> QueueAsync(BerthClient client, int count)
    {
        var group = Group;
        await client.CreateResourceGroupAsync(new SaveResourceGroupRequest(group, Scheduler: "fifo", IsPublic: true));
        // No per-user limit may hold anyone back: this measures placement, not policy.
        await client.SaveResourcePolicyAsync(new ResourcePolicyDto("bench-unlimited", null, null, null, null, null, null));
        await client.AssignResourcePolicyAsync(Environment.GetEnvironmentVariable("BERTH_ADMIN_EMAIL")!, "bench-unlimited");

        var create = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await client.CreateSessionAsync(new CreateSessionRequest("minimal", $"queued-{i:00000}", ResourceGroup: group,
                Resources: new ResourceRequestDto(Cpu: 1, MemoryBytes: 64L << 20)), ct));
        Console.Error.WriteLine($"created {count} pending sessions through the API in {create.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>Capacity arrives: the agents join, and the clock runs until all <paramref name="pending"/> sessions are SCHEDULED.</summary>
    public static async Task<int> PlaceAsync(BerthClient client, Uri endpoint, string dataDir, int pending, string database, int managers, string? settleOn)
    {
        var group = Group;
        if (settleOn is not null)
        {
            // Sessions cloned in SQL have no queue position yet: let a round give them one (as it would have as they
            // arrived through the API) before capacity comes, so the measured rounds only place.
            using var settle = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            while ((await client.GetSessionAsync(settleOn, settle.Token)).QueuePosition is null) await Task.Delay(500, settle.Token);
        }

        using var fakeControl = new ClosingListener();
        using var agentHttp = AgentHttp(endpoint, dataDir);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await using var events = await client.OpenEventStreamAsync(null, stop.Token);
        // The event stream keeps 1,000 events per watcher and drops the oldest, so a burst of 10,000 arrives in
        // part: the count only says when to look. Events are published after the round's commit, so the time of the
        // last one seen is when the last decision was visible to clients.
        var scheduled = 0;
        var lastEventAt = DateTimeOffset.MinValue;
        var counting = Task.Run(async () =>
        {
            await foreach (var e in events.ReadAllAsync(stop.Token))
                if (e.Status == "SCHEDULED")
                {
                    Interlocked.Increment(ref scheduled);
                    lastEventAt = DateTimeOffset.UtcNow;
                }
        });
        var allScheduled = new TaskCompletionSource();
        var capacityFrom = DateTimeOffset.UtcNow;
        await Parallel.ForAsync(0, Agents, async (i, ct) => await SyncAsync(agentHttp, Beat(i, group, pending, fakeControl.Url), ct));
        var heartbeats = Task.Run(async () =>
        {
            // Agents silent for 30 s are LOST; keep them ALIVE for as long as the run lasts.
            while (!allScheduled.Task.IsCompleted)
            {
                await Task.WhenAny(allScheduled.Task, Task.Delay(TimeSpan.FromSeconds(10), stop.Token));
                if (allScheduled.Task.IsCompleted) return;
                for (var i = 0; i < Agents; i++) await SyncAsync(agentHttp, Beat(i, group, pending, fakeControl.Url), stop.Token);
            }
        });
        List<SessionDto> sessions;
        while (true)
        {
            var quietSince = Volatile.Read(ref scheduled);
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            if (Volatile.Read(ref scheduled) != quietSince && Volatile.Read(ref scheduled) < pending) continue; // still arriving
            sessions = (await client.ListSessionsAsync(all: true, stop.Token)).Where(s => s.ResourceGroup == group).ToList();
            if (sessions.All(s => s.StatusHistory.Any(h => h.Status == "SCHEDULED"))) break;
        }
        allScheduled.TrySetResult();
        await stop.CancelAsync();
        try { await Task.WhenAll(counting, heartbeats); } catch (OperationCanceledException) { }
        var seen = (lastEventAt - capacityFrom).TotalSeconds;

        var at = sessions.Select(s => s.StatusHistory.First(h => h.Status == "SCHEDULED").At).Order().ToList();
        if (at.Count != pending) throw new InvalidOperationException($"{at.Count} of {pending} sessions have a SCHEDULED timestamp");
        var first = (at[0] - capacityFrom).TotalSeconds;
        var last = (at[^1] - capacityFrom).TotalSeconds;
        var rate = pending / last;
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine($"| {DateTime.UtcNow:yyyy-MM-dd} | {database} | {managers} | {pending:N0} | {Environment.ProcessorCount} cores, load {load} | " +
                          $"{first:0.00} s | {last:0.00} s | {seen:0.00} s | {rate:N0} | {pending / seen:N0} | {pending / seen / SlurmJobsPerSecond:0.00}× |");
        return 0;
    }

    private static string Beat(int i, string group, int pending, string controlUrl) => JsonSerializer.Serialize(new
    {
        // Each agent could take every session alone: capacity is never what keeps a session waiting.
        agentId = $"fake-{i:000}", resourceGroup = group, architecture = "x64", version = "1.0.0",
        capacity = new Dictionary<string, decimal> { ["cpu"] = pending, ["mem"] = (decimal)pending * (64L << 20) },
        controlUrl, images = Array.Empty<string>(),
    });

    private static HttpClient AgentHttp(Uri endpoint, string dataDir)
    {
        var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(dataDir, "agent-token")).Trim());
        return http;
    }

    private static async Task SyncAsync(HttpClient http, string body, CancellationToken ct)
    {
        using var response = await http.PostAsync("/api/agent/v1/sync", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"sync answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>A loopback port that accepts connections and closes them: an agent that takes no orders, cheaply.</summary>
    private sealed class ClosingListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        public ClosingListener()
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true) (await _listener.AcceptSocketAsync(_stop.Token)).Dispose();
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
            });
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
