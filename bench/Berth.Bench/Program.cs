using System.Diagnostics;
using System.Text.Json;
using Berth.Bench;
using Berth.Client;
using Berth.Core.Contracts;

// Session start latency: Berth's create→RUNNING against a raw `docker run -d` of the same image with
// the same bind mounts, alternating, in one run (issue 3, acceptance 7).
//   dotnet Berth.Bench.dll session-start [runs=20]
// Reads the endpoint and keypair that `berth login` saved in $BERTH_CONFIG_DIR.
//   dotnet Berth.Bench.dll scheduler-queue COUNT | scheduler-place PENDING DATABASE MANAGERS [SETTLE_ON]   (bench/scheduler.sh)
if (args.Length == 0 || args[0] is not ("session-start" or "scheduler-queue" or "scheduler-place"))
{
    Console.Error.WriteLine("usage: Berth.Bench session-start [runs] | scheduler-queue COUNT | scheduler-place PENDING DATABASE MANAGERS");
    return 2;
}
var configDir = Environment.GetEnvironmentVariable("BERTH_CONFIG_DIR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "berth");
using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(configDir, "config.json")));
var endpoint = new Uri(Environment.GetEnvironmentVariable("BERTH_ENDPOINT") ?? config.RootElement.GetProperty("endpoint").GetString()!);
using var client = new BerthClient(endpoint, new ApiKeyPair(config.RootElement.GetProperty("accessKey").GetString()!, config.RootElement.GetProperty("secretKey").GetString()!));

var dataDir = Environment.GetEnvironmentVariable("BERTH_BENCH_DATA_DIR") ?? throw new InvalidOperationException("BERTH_BENCH_DATA_DIR (the server's data directory) is needed to bind the same folders for docker run and to read the agent token");
if (args[0] == "scheduler-queue") return await SchedulerBench.QueueAsync(client, int.Parse(args[1]));
if (args[0] == "scheduler-place")
    return await SchedulerBench.PlaceAsync(client, endpoint, dataDir, int.Parse(args[1]), args[2], int.Parse(args[3]), args.Length > 4 ? args[4] : null);
var runs = args.Length > 1 ? int.Parse(args[1]) : 20;
var folders = new List<(string Name, string HostPath)>();
foreach (var name in new[] { "bench-a", "bench-b" })
{
    var folder = (await client.ListVFoldersAsync()).FirstOrDefault(f => f.Name == name) ?? await client.CreateVFolderAsync(new CreateVFolderRequest(name));
    folders.Add((name, Path.Combine(dataDir, "volumes", folder.Host, folder.Id.ToString("N"))));
}

var berth = new List<double>();
var docker = new List<double>();
for (var i = 0; i < runs + 1; i++)
{
    var b = await SessionStart.BerthAsync(client, folders.Select(f => f.Name).ToList(), $"bench-{i}");
    var d = await SessionStart.DockerRunAsync(folders.Select(f => f.HostPath).ToList());
    if (i == 0) continue; // warm-up: first container start pays for page cache and the like
    berth.Add(b);
    docker.Add(d);
}
var (bp50, bp95) = (Stats.Percentile(berth, 50), Stats.Percentile(berth, 95));
var (dp50, dp95) = (Stats.Percentile(docker, 50), Stats.Percentile(docker, 95));
Console.WriteLine($"| {DateTime.UtcNow:yyyy-MM-dd} | {Environment.ProcessorCount} cores | {runs} | {bp50:0} ms | {bp95:0} ms | {dp50:0} ms | {dp95:0} ms | {100 * (bp50 - dp50) / dp50:+0.0;-0.0;0.0}% |");
return 0;

namespace Berth.Bench
{
    internal static class SessionStart
    {
        /// <summary>From the create request to the RUNNING event, as a client sees it.</summary>
        public static async Task<double> BerthAsync(BerthClient client, IReadOnlyList<string> folders, string name)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var running = new TaskCompletionSource();
            var watch = Task.Run(async () =>
            {
                await foreach (var e in client.WatchEventsAsync(name, cts.Token))
                    if (e.Status is "RUNNING" or "CANCELLED" or "ERROR" or "TERMINATED") { running.TrySetResult(); return; }
            });
            await Task.Delay(100); // let the event stream open before the clock starts
            var clock = Stopwatch.StartNew();
            await client.CreateSessionAsync(new CreateSessionRequest("minimal", name, Mounts: folders.Select(f => new MountRequestDto(f)).ToList()), cts.Token);
            await running.Task.WaitAsync(cts.Token);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            var session = await client.GetSessionAsync(name);
            if (session.Status != "RUNNING") throw new InvalidOperationException($"session {name} ended {session.Status}: {session.StatusReason}");
            await cts.CancelAsync();
            await client.DestroySessionAsync(name);
            for (var i = 0; i < 100 && (await client.GetSessionAsync(session.Id.ToString())).Status != "TERMINATED"; i++) await Task.Delay(100);
            return elapsed;
        }

        /// <summary>`docker run -d` of the same image with the same bind mounts and user, timed around the CLI call.</summary>
        public static async Task<double> DockerRunAsync(IReadOnlyList<string> hostPaths)
        {
            var args = new List<string> { "run", "-d", "--user", "1000:1000", "--init" };
            for (var i = 0; i < hostPaths.Count; i++) args.AddRange(["-v", $"{hostPaths[i]}:/home/work/f{i}"]);
            args.AddRange(["berth/minimal:latest", "sleep", "2147483647"]);
            var clock = Stopwatch.StartNew();
            var id = (await RunAsync("docker", args)).Trim();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            await RunAsync("docker", ["rm", "-f", id]);
            return elapsed;
        }

        private static async Task<string> RunAsync(string file, IEnumerable<string> args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', psi.ArgumentList)}: {await p.StandardError.ReadToEndAsync()}");
            return output;
        }
    }

    internal static class Stats
    {
        public static double Percentile(List<double> values, double p)
        {
            var sorted = values.Order().ToList();
            var rank = p / 100 * (sorted.Count - 1);
            var lo = (int)Math.Floor(rank);
            var hi = (int)Math.Ceiling(rank);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
        }
    }
}
