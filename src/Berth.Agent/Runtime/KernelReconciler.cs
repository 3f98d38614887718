using Berth.Core.Loops;
using System.Runtime.InteropServices;
using Berth.Core.Agents;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Agent.Runtime;

/// <summary>Wakes the reconciler early: the manager assigned work, or Docker reported an exit.</summary>
public sealed class ReconcileSignal : WakeSignal;

/// <summary>
/// Level-triggered reconciliation of this node's containers to the manager's desired kernels. It reads
/// the whole picture each round (kernels from the manager, containers from Docker), so after a restart
/// of anything it adopts what runs, finishes what was half done, and removes what nobody wants.
/// </summary>
public sealed partial class KernelReconciler(
    IAgentChannel channel, DockerKernelRuntime runtime, ScratchDirectories scratch, IDockerClient docker,
    IOptions<AgentOptions> options, ReconcileSignal signal, Gpus.GpuInventory gpus, ILogger<KernelReconciler> log) : BackgroundService
{
    // What was last told to the manager per kernel, so each state is reported once, not every round.
    // Deliberately in memory only: after a restart everything is re-reported, which is how adoption is announced.
    private readonly Dictionary<Guid, KernelObservedState> _reported = [];
    private readonly HashSet<string> _oomContainers = [];
    private IReadOnlyList<string> _images = [];
    private DateTime _imagesListedAt = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = WatchDockerEventsAsync(stoppingToken);
        await RoundLoop.RunAsync(ReconcileOnceAsync, ct => signal.WaitAsync(options.Value.ReconcileInterval, ct), LogRoundFailed, stoppingToken);
    }

    public async Task ReconcileOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        // The image list goes with the heartbeat, refreshed now and then rather than every round; stale networks are swept as often.
        var sweep = DateTime.UtcNow - _imagesListedAt > TimeSpan.FromSeconds(30);
        if (sweep)
        {
            _images = await runtime.ListImageTagsAsync(ct);
            _imagesListedAt = DateTime.UtcNow;
        }
        var heartbeat = new AgentHeartbeat(o.Id, o.ResourceGroup, RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            typeof(KernelReconciler).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            new Dictionary<string, decimal>
            {
                ["cpu"] = o.Cpu ?? Environment.ProcessorCount,
                ["mem"] = NodeLimits.MemoryBytes(o),
                ["cuda.device"] = gpus.Devices.Count,
            },
            o.ControlUrl, _images);
        // If the manager cannot be asked, do nothing: never remove containers on missing information.
        var desired = await channel.SyncAsync(heartbeat, ct);
        var containers = (await runtime.ListOwnedAsync(ct)).ToDictionary(c => c.KernelId);
        var observations = new List<KernelObservation>();

        foreach (var spec in desired)
        {
            containers.Remove(spec.KernelId, out var container);
            var observation = spec.Desired == KernelDesiredState.Running
                ? await ConvergeRunningAsync(spec, container, ct)
                : await ConvergeTerminatedAsync(spec, container, ct);
            if (observation is not null) Report(observations, observation);
        }

        // Containers of ours that no kernel wants any more: their session is gone.
        foreach (var orphan in containers.Values)
        {
            LogRemovingOrphan(orphan.Id, orphan.KernelId);
            await runtime.RemoveQuietlyAsync(orphan.Id);
            scratch.Delete(orphan.KernelId);
        }
        var known = desired.Select(d => d.KernelId).ToHashSet();
        foreach (var leftover in scratch.Existing().Where(id => !known.Contains(id))) scratch.Delete(leftover);
        if (sweep)
            await runtime.RemoveStaleNetworksAsync(desired.Where(d => d.Desired == KernelDesiredState.Running).Select(d => d.SessionId).ToHashSet(), ct);

        if (observations.Count > 0) await channel.ReportAsync(o.Id, observations, ct);
        // An exit usually makes the manager want the container gone: look again now, not a tick later.
        if (observations.Any(x => x.State is KernelObservedState.Exited or KernelObservedState.Failed)) signal.Wake();
    }

    private async Task<KernelObservation?> ConvergeRunningAsync(KernelSpec spec, DockerKernelRuntime.OwnedContainer? container, CancellationToken ct)
    {
        if (container is null)
        {
            if (spec.WasStarted)
                return new KernelObservation(spec.KernelId, KernelObservedState.Exited, Reason: "container-vanished");
            try
            {
                var (id, warnings) = await runtime.StartAsync(spec, async stage =>
                {
                    // Stages go out right away so that a slow start is visible while it happens, and in
                    // order: awaited, so that two reports never race each other to the manager.
                    var note = new KernelObservation(spec.KernelId, stage);
                    if (Report([], note)) await channel.ReportAsync(options.Value.Id, [note], ct);
                }, ct);
                return new KernelObservation(spec.KernelId, KernelObservedState.Running, id, Warnings: warnings);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStartFailed(e, spec.SessionName);
                return new KernelObservation(spec.KernelId, KernelObservedState.Failed, Reason: Describe(e));
            }
        }
        if (container.State == "running")
        {
            bool oomSeen;
            lock (_reported) oomSeen = _oomContainers.Contains(container.Id);
            var warnings = oomSeen
                ? new[] { $"a process was killed for using more than the memory limit ({spec.MemoryBytes / 1048576} MiB)" }
                : null;
            return new KernelObservation(spec.KernelId, KernelObservedState.Running, container.Id, Warnings: warnings);
        }
        // Not ended: starting, restarting, or paused while a commit saves it.
        if (container.State is "created" or "restarting" or "paused") return null;
        var (exit, oom) = await runtime.InspectExitAsync(container.Id, ct);
        var logs = await runtime.LogTailAsync(container.Id, ct);
        return new KernelObservation(spec.KernelId, KernelObservedState.Exited, container.Id, exit,
            oom || _oomContainers.Contains(container.Id) ? "oom-killed" : null, logs);
    }

    private async Task<KernelObservation> ConvergeTerminatedAsync(KernelSpec spec, DockerKernelRuntime.OwnedContainer? container, CancellationToken ct)
    {
        string? logs = null;
        int? exit = null;
        if (container is not null)
        {
            if (container.State != "created") logs = await runtime.LogTailAsync(container.Id, ct);
            if (container.State != "running") exit = (await SafeExitAsync(container.Id)).ExitCode;
            await runtime.StopAndRemoveAsync(container.Id, ct);
            lock (_reported) _oomContainers.Remove(container.Id);
        }
        scratch.Delete(spec.KernelId);
        await runtime.RemoveNetworkQuietlyAsync(spec);
        return new KernelObservation(spec.KernelId, KernelObservedState.Removed, container?.Id, exit, Logs: logs);
    }

    private async Task<(int? ExitCode, bool Oom)> SafeExitAsync(string containerId)
    {
        try { var (e, o) = await runtime.InspectExitAsync(containerId, CancellationToken.None); return (e, o); }
        catch (DockerContainerNotFoundException) { return (null, false); }
    }

    /// <summary>Adds the observation unless the same state was already reported; returns whether it was new.</summary>
    private bool Report(List<KernelObservation> batch, KernelObservation observation)
    {
        lock (_reported)
        {
            var changed = !_reported.TryGetValue(observation.KernelId, out var last) || last != observation.State
                          || observation.Warnings is { Count: > 0 };
            if (!changed) return false;
            _reported[observation.KernelId] = observation.State;
            if (observation.State == KernelObservedState.Removed) _reported.Remove(observation.KernelId);
        }
        batch.Add(observation);
        return true;
    }

    private async Task WatchDockerEventsAsync(CancellationToken ct)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["type"] = new Dictionary<string, bool> { ["container"] = true },
            ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Agent}={options.Value.Id}"] = true },
        };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await docker.System.MonitorEventsAsync(new ContainerEventsParameters { Filters = filters }, new Progress<Message>(m =>
                {
                    if (m.Action == "oom") lock (_reported) _oomContainers.Add(m.Actor.ID);
                    if (m.Action is "die" or "oom" or "destroy") signal.Wake();
                }), ct);
            }
            catch (OperationCanceledException) { return; }
            catch (Exception e) { LogEventsFailed(e); }
            try { await Task.Delay(TimeSpan.FromSeconds(2), ct); } catch (OperationCanceledException) { return; }
        }
    }

    private static string Describe(Exception e) => e switch
    {
        DockerImageNotFoundException => "the image is not present on this agent",
        DockerApiException api => api.ResponseBody is { Length: > 0 } body ? body.Trim() : api.Message,
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation round failed; retrying.")]
    private partial void LogRoundFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start a container for session {Session}.")]
    private partial void LogStartFailed(Exception e, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removing container {ContainerId}: kernel {KernelId} is not wanted any more.")]
    private partial void LogRemovingOrphan(string containerId, Guid kernelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docker event stream failed; reconnecting.")]
    private partial void LogEventsFailed(Exception e);
}
