using System.Diagnostics;
using Berth.Agent.Runtime;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Berth.Core.Loops;

namespace Berth.Agent.Stats;

/// <summary>
/// Every <see cref="AgentOptions.StatsInterval"/>, measures this node's running session containers (Docker stats:
/// CPU time against the allocated cores since the last round, memory against the limit, GPUs through nvidia-smi)
/// and sends the samples to the manager for its idle checks and the console's live usage. A container's first round only records its counter.
/// </summary>
public sealed partial class ContainerStatsSampler(
    IAgentChannel channel, IDockerClient docker, IOptions<AgentOptions> options, Gpus.GpuInventory gpus, TimeProvider clock,
    ILogger<ContainerStatsSampler> log) : BackgroundService
{
    private sealed record Previous(ulong UsageNs, DateTimeOffset At, double Cpus);

    private readonly Dictionary<string, Previous> _previous = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.StatsInterval <= TimeSpan.Zero) return; // sampling switched off
        await RoundLoop.RunAsync(SampleOnceAsync, ct => Task.Delay(options.Value.StatsInterval, clock, ct), LogFailed, stoppingToken);
    }

    public async Task SampleOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Agent}={o.Id}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        }, ct);
        var gpuUtil = gpus.Devices.Count > 0 && containers.Any(c => c.Labels.ContainsKey(ContainerLabels.CudaDevices))
            ? QueryGpus() : new Dictionary<string, double>();
        var samples = new List<KernelStatsSample>();
        foreach (var c in containers)
        {
            if (!Guid.TryParse(Label(c, ContainerLabels.KernelId), out var kernel)
                || !Guid.TryParse(Label(c, ContainerLabels.SessionId), out var session)) continue;
            try
            {
                if (await SampleAsync(c, kernel, session, gpuUtil, ct) is { } sample) samples.Add(sample);
            }
            catch (DockerContainerNotFoundException) { } // gone between list and stats
        }
        foreach (var gone in _previous.Keys.Where(id => containers.All(c => c.ID != id)).ToList()) _previous.Remove(gone);
        if (samples.Count > 0) await channel.ReportStatsAsync(o.Id, samples, ct);
    }

    private async Task<KernelStatsSample?> SampleAsync(ContainerListResponse c, Guid kernel, Guid session, IReadOnlyDictionary<string, double> gpuUtil, CancellationToken ct)
    {
        var capture = new Capture();
        await docker.Containers.GetContainerStatsAsync(c.ID, new ContainerStatsParameters { Stream = false, OneShot = true }, capture, ct);
        if (capture.Value is not { CPUStats.CPUUsage: not null } stats) return null;
        var at = clock.GetUtcNow();
        var usage = stats.CPUStats.CPUUsage.TotalUsage;
        var cpus = _previous.TryGetValue(c.ID, out var prev) ? prev.Cpus : await AllocatedCpusAsync(c.ID, ct);
        _previous[c.ID] = new Previous(usage, at, cpus);
        if (prev is null || StatsMath.CpuPercent(prev.UsageNs, prev.At, usage, at, cpus) is not { } cpu) return null;
        var mem = StatsMath.MemPercent(stats.MemoryStats?.Usage ?? 0, stats.MemoryStats?.Limit ?? 0, stats.MemoryStats?.Stats);
        var memBytes = StatsMath.MemUsedBytes(stats.MemoryStats?.Usage ?? 0, stats.MemoryStats?.Stats);
        var (rx, tx) = StatsMath.NetworkBytes(stats.Networks?.Values.Select(n => (n.RxBytes, n.TxBytes)));
        var uuids = Label(c, ContainerLabels.CudaDevices)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return new KernelStatsSample(kernel, session, at, Math.Round(cpu, 2), Math.Round(mem, 2), StatsMath.GpuPercent(uuids, gpuUtil),
            (long)memBytes, rx, tx);
    }

    private static string? Label(ContainerListResponse c, string key) => c.Labels.TryGetValue(key, out var v) ? v : null;

    /// <summary>Keeps the one answer of a non-streaming stats call, synchronously (Progress&lt;T&gt; would post it to the thread pool).</summary>
    private sealed class Capture : IProgress<ContainerStatsResponse>
    {
        public ContainerStatsResponse? Value { get; private set; }
        public void Report(ContainerStatsResponse value) => Value = value;
    }

    private async Task<double> AllocatedCpusAsync(string id, CancellationToken ct)
    {
        var inspect = await docker.Containers.InspectContainerAsync(id, ct);
        var nano = inspect.HostConfig?.NanoCPUs ?? 0;
        return nano > 0 ? nano / 1e9 : Environment.ProcessorCount;
    }

    private static IReadOnlyDictionary<string, double> QueryGpus()
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(StatsMath.GpuQuery);
            psi.ArgumentList.Add("--format=csv,noheader,nounits");
            using var process = Process.Start(psi);
            if (process is null) return new Dictionary<string, double>();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return new Dictionary<string, double>();
            }
            return process.ExitCode == 0 ? StatsMath.ParseGpuUtilization(output.Result) : new Dictionary<string, double>();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Dictionary<string, double>();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling container stats failed; retrying next round.")]
    private partial void LogFailed(Exception e);
}
