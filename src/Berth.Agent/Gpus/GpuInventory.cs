using Microsoft.Extensions.Options;

namespace Berth.Agent.Gpus;

/// <summary>The node's GPUs, detected once at start (GPUs do not come and go while a node runs).</summary>
public sealed class GpuInventory(IOptions<AgentOptions> options)
{
    private readonly Lazy<IReadOnlyList<GpuDevice>> _devices = new(() => options.Value.DetectGpus ? NvidiaSmi.Detect() : []);

    public IReadOnlyList<GpuDevice> Devices => _devices.Value;

    /// <summary>Picks <paramref name="count"/> devices not in <paramref name="inUse"/> (UUIDs), lowest index first.</summary>
    public static IReadOnlyList<GpuDevice> Allocate(IReadOnlyList<GpuDevice> devices, IReadOnlySet<string> inUse, int count)
    {
        var free = devices.Where(d => !inUse.Contains(d.Uuid)).OrderBy(d => d.Index).Take(count).ToList();
        if (free.Count < count)
            throw new InvalidOperationException($"not enough free GPUs on this agent: {count} asked, {devices.Count - inUse.Count} free of {devices.Count}");
        return free;
    }
}
