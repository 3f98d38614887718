using System.Text;
using Berth.Core.Agents;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Agent.Runtime;

/// <summary>The Docker side of one agent: create, inspect, read logs of and remove the containers it owns.</summary>
public sealed class DockerKernelRuntime(IDockerClient docker, AgentOptions options, ScratchDirectories scratch, Gpus.GpuInventory gpus,
    Networking.SessionNetworks networks)
{
    public sealed record OwnedContainer(string Id, Guid KernelId, string State);

    public async Task<IReadOnlyList<OwnedContainer>> ListOwnedAsync(CancellationToken ct)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Agent}={options.Id}"] = true },
            },
        }, ct);
        return containers
            .Select(c => c.Labels.TryGetValue(ContainerLabels.KernelId, out var k) && Guid.TryParse(k, out var id)
                ? new OwnedContainer(c.ID, id, c.State) : null)
            .OfType<OwnedContainer>()
            .ToList();
    }

    /// <summary>Prepares the scratch directory and mounts, then creates and starts the container; undoes all of it on failure.</summary>
    public async Task<(string ContainerId, IReadOnlyList<string> Warnings)> StartAsync(KernelSpec spec, Func<KernelObservedState, Task> stage, CancellationToken ct)
    {
        await stage(KernelObservedState.Preparing);
        var warnings = new List<string>();
        string? containerId = null;
        try
        {
            var image = await docker.Images.InspectImageAsync(spec.ImageReference, ct);
            var mounts = ResolveMounts(spec, warnings);
            var scratchDir = scratch.Create(spec.KernelId);
            await networks.EnsureAsync(spec, ct);
            await stage(KernelObservedState.Creating);
            var gpuUuids = spec.CudaDevices > 0 ? await AllocateGpusAsync(spec.CudaDevices, ct) : [];
            var parameters = ContainerSpecFactory.Build(NodeLimits.WithHostPidsLimit(spec, options), options, scratchDir, mounts,
                image.Config?.Env?.ToList() ?? [], gpuUuids);
            containerId = (await docker.Containers.CreateContainerAsync(parameters, ct)).ID;
            await docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), ct);
            return (containerId, warnings);
        }
        catch
        {
            if (containerId is not null) await RemoveQuietlyAsync(containerId);
            scratch.Delete(spec.KernelId);
            throw;
        }
    }

    private List<(string Source, KernelMount Mount)> ResolveMounts(KernelSpec spec, List<string> warnings)
    {
        var resolved = new List<(string, KernelMount)>();
        foreach (var mount in spec.Mounts)
        {
            var source = options.VolumeMounts.TryGetValue(mount.StorageHost, out var root)
                ? Path.Combine(root, mount.FolderId.ToString("N"))
                : null;
            if (source is not null && Directory.Exists(source))
            {
                resolved.Add((source, mount));
                continue;
            }
            var why = source is null
                ? $"storage host '{mount.StorageHost}' is not reachable from agent {options.Id}"
                : $"its data directory is missing on agent {options.Id}";
            if (!mount.Optional) throw new InvalidOperationException($"cannot mount {mount.ContainerPath}: {why}");
            warnings.Add($"{mount.ContainerPath} was not mounted: {why}");
        }
        return resolved;
    }

    /// <summary>The tagged images this node's engine has (what sessions here could start from).</summary>
    public async Task<IReadOnlyList<string>> ListImageTagsAsync(CancellationToken ct) =>
        (await docker.Images.ListImagesAsync(new ImagesListParameters(), ct))
            .SelectMany(i => i.RepoTags ?? []).Where(t => t != "<none>:<none>").Order(StringComparer.Ordinal).ToList();

    /// <summary>GPUs are taken while any container of this agent holds them (its label says which).</summary>
    private async Task<IReadOnlyList<string>> AllocateGpusAsync(int count, CancellationToken ct)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Agent}={options.Id}"] = true },
            },
        }, ct);
        var inUse = containers
            .SelectMany(c => c.Labels.TryGetValue(ContainerLabels.CudaDevices, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries) : [])
            .ToHashSet();
        return Gpus.GpuInventory.Allocate(gpus.Devices, inUse, count).Select(d => d.Uuid).ToList();
    }

    /// <summary>Removes the session's network once none of its containers is left; a network still in use stays.</summary>
    public Task RemoveNetworkQuietlyAsync(KernelSpec spec) => networks.RemoveQuietlyAsync(Networking.SessionNetworks.Of(spec));

    /// <summary>Networks of this agent's sessions that no longer run here (left by a crash): removed when empty.</summary>
    public Task RemoveStaleNetworksAsync(IReadOnlySet<Guid> liveSessions, CancellationToken ct) => networks.RemoveStaleAsync(liveSessions, ct);

    public async Task<(int ExitCode, bool OomKilled)> InspectExitAsync(string containerId, CancellationToken ct)
    {
        var c = await docker.Containers.InspectContainerAsync(containerId, ct);
        return c.State is { } state ? ((int)state.ExitCode, state.OOMKilled) : (-1, false);
    }

    /// <summary>The last <see cref="AgentOptions.LogTailBytes"/> of the container's output.</summary>
    public async Task<string> LogTailAsync(string containerId, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await CopyLogsAsync(containerId, follow: false, buffer, ct);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.Length > options.LogTailBytes) bytes = bytes[^options.LogTailBytes..];
        return Encoding.UTF8.GetString(bytes);
    }

    public async Task CopyLogsAsync(string containerId, bool follow, Stream destination, CancellationToken ct)
    {
        using var stream = await docker.Containers.GetContainerLogsAsync(containerId,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = follow }, ct);
        await stream.CopyOutputToAsync(Stream.Null, destination, destination, ct);
    }

    public async Task StopAndRemoveAsync(string containerId, CancellationToken ct)
    {
        try
        {
            await docker.Containers.StopContainerAsync(containerId, new ContainerStopParameters { WaitBeforeKillSeconds = 3 }, ct);
        }
        catch (DockerContainerNotFoundException) { return; }
        await RemoveQuietlyAsync(containerId);
    }

    public async Task RemoveQuietlyAsync(string containerId)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (DockerContainerNotFoundException) { }
    }
}
