using Berth.Agent.Stats;

namespace Berth.Agent.Tests;

/// <summary>
/// The percentages the idle checks compare with thresholds. The GPU path is covered by parsing only: this machine
/// has no NVIDIA GPU, so nvidia-smi never runs here.
/// </summary>
public sealed class StatsMathTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Cpu_is_a_share_of_the_allocated_cores()
    {
        // 2 s of CPU time in 1 s on 2 allocated cores: both busy.
        Assert.Equal(100, StatsMath.CpuPercent(0, T0, 2_000_000_000, T0.AddSeconds(1), 2));
        // 0.5 s in 1 s on 2 cores: a quarter.
        Assert.Equal(25, StatsMath.CpuPercent(1_000_000_000, T0, 1_500_000_000, T0.AddSeconds(1), 2));
        // Fractional allocation: 0.25 s in 1 s on half a core is half of it.
        Assert.Equal(50, StatsMath.CpuPercent(0, T0, 250_000_000, T0.AddSeconds(1), 0.5));
        Assert.Equal(100, StatsMath.CpuPercent(0, T0, 9_000_000_000, T0.AddSeconds(1), 1)); // bursts above the quota are capped
    }

    [Fact]
    public void Cpu_readings_that_cannot_be_compared_give_nothing()
    {
        Assert.Null(StatsMath.CpuPercent(5, T0, 10, T0, 1));                 // no time passed
        Assert.Null(StatsMath.CpuPercent(5_000, T0, 10, T0.AddSeconds(1), 1)); // the counter went back (restart)
        Assert.Null(StatsMath.CpuPercent(0, T0, 10, T0.AddSeconds(1), 0));
    }

    [Fact]
    public void Memory_leaves_out_reclaimable_cache_on_cgroup_v2_and_v1()
    {
        Assert.Equal(25, StatsMath.MemPercent(300, 800, new Dictionary<string, ulong> { ["inactive_file"] = 100 }));
        Assert.Equal(25, StatsMath.MemPercent(300, 800, new Dictionary<string, ulong> { ["total_inactive_file"] = 100 }));
        Assert.Equal(50, StatsMath.MemPercent(400, 800, null));
        Assert.Equal(0, StatsMath.MemPercent(400, 0, null));
        Assert.Equal(0, StatsMath.MemPercent(50, 800, new Dictionary<string, ulong> { ["inactive_file"] = 100 }));
        Assert.Equal(200UL, StatsMath.MemUsedBytes(300, new Dictionary<string, ulong> { ["inactive_file"] = 100 }));
        Assert.Equal(0UL, StatsMath.MemUsedBytes(50, new Dictionary<string, ulong> { ["inactive_file"] = 100 }));
    }

    [Fact]
    public void Network_bytes_are_summed_over_interfaces_and_unknown_without_any()
    {
        Assert.Equal((30L, 7L), StatsMath.NetworkBytes([(10UL, 3UL), (20UL, 4UL)]));
        Assert.Equal((null, null), StatsMath.NetworkBytes([]));
        Assert.Equal((null, null), StatsMath.NetworkBytes(null));
    }

    [Fact]
    public void Gpu_utilization_is_parsed_per_uuid_and_averaged_over_the_containers_gpus()
    {
        var parsed = StatsMath.ParseGpuUtilization("""
            GPU-aaaa-1111, 80
            GPU-bbbb-2222, 20
            GPU-cccc-3333, [N/A]
            garbage line
            """);
        Assert.Equal(2, parsed.Count);
        Assert.Equal(80, parsed["GPU-aaaa-1111"]);
        Assert.Equal(50, StatsMath.GpuPercent(["GPU-aaaa-1111", "GPU-bbbb-2222"], parsed));
        Assert.Equal(80, StatsMath.GpuPercent(["GPU-aaaa-1111", "GPU-cccc-3333"], parsed)); // unmeasured GPUs do not vote
        Assert.Null(StatsMath.GpuPercent(["GPU-cccc-3333"], parsed));
        Assert.Null(StatsMath.GpuPercent([], parsed));
    }
}
