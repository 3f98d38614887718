using Berth.Core.Contracts;
using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class ResourceRulesTests
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;
    private static readonly ImageResourceHints NoHints = new(0, 0, 0);

    private static ResolvedResources Ok(ResourceRequestDto? request, ImageResourceHints? hints = null)
    {
        Assert.Null(ResourceRules.Resolve(request, hints ?? NoHints, out var r));
        return r;
    }

    private static void Refused(ResourceRequestDto? request, string rule, string field, ImageResourceHints? hints = null)
    {
        var p = ResourceRules.Resolve(request, hints ?? NoHints, out _);
        Assert.NotNull(p);
        Assert.Equal((rule, field, 400), (p.Rule, p.Field, p.Status));
        Assert.False(string.IsNullOrWhiteSpace(p.Detail));
    }

    [Fact]
    public void Defaults_without_a_request() =>
        Assert.Equal(new ResolvedResources(1, GiB, 64 * MiB), Ok(null));

    [Fact]
    public void Defaults_with_an_empty_request() =>
        Assert.Equal(new ResolvedResources(1, GiB, 64 * MiB), Ok(new ResourceRequestDto()));

    [Fact]
    public void Defaults_follow_the_image()
    {
        var hints = new ImageResourceHints(2, 4 * GiB, 256 * MiB);
        Assert.Equal(new ResolvedResources(2, 4 * GiB, 256 * MiB), Ok(null, hints));
    }

    [Fact]
    public void Small_image_minimums_do_not_lower_the_defaults()
    {
        var hints = new ImageResourceHints(0.5, 256 * MiB, 0);
        Assert.Equal(new ResolvedResources(1, GiB, 64 * MiB), Ok(null, hints));
    }

    [Fact]
    public void Default_shmem_stays_below_a_small_memory_request()
    {
        var r = Ok(new ResourceRequestDto(MemoryBytes: 32 * MiB));
        Assert.Equal(32 * MiB, r.MemoryBytes);
        Assert.True(r.ShmemBytes < r.MemoryBytes);
        Assert.Equal(16 * MiB, r.ShmemBytes);
    }

    [Fact]
    public void Preferred_shmem_is_clipped_below_the_default_memory()
    {
        var r = Ok(null, new ImageResourceHints(0, 0, 2 * GiB));
        Assert.Equal(GiB, r.MemoryBytes);
        Assert.Equal(512 * MiB, r.ShmemBytes);
    }

    [Fact]
    public void Asked_values_are_kept()
    {
        var r = Ok(new ResourceRequestDto(2.5, 8 * GiB, GiB), new ImageResourceHints(2, 4 * GiB, 64 * MiB));
        Assert.Equal(new ResolvedResources(2.5, 8 * GiB, GiB), r);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.29)]
    [InlineData(1.5)]
    [InlineData(3.07)]
    [InlineData(256)]
    public void Accepts_cpu_in_hundredths(double cpu) => Assert.Equal(cpu, Ok(new ResourceRequestDto(Cpu: cpu)).Cpu);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.001)]
    [InlineData(1.005)]
    [InlineData(256.01)]
    [InlineData(1000)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Refuses_invalid_cpu(double cpu) => Refused(new ResourceRequestDto(Cpu: cpu), "cpu-invalid", "resources.cpu");

    [Fact]
    public void Refuses_cpu_below_the_image_minimum_and_names_it()
    {
        var p = ResourceRules.Resolve(new ResourceRequestDto(Cpu: 1), new ImageResourceHints(2, 0, 0), out _)!;
        Assert.Equal(("cpu-below-minimum", "resources.cpu", 400), (p.Rule, p.Field, p.Status));
        Assert.Contains("at least 2", p.Detail);
    }

    [Fact]
    public void Cpu_equal_to_the_image_minimum_passes() =>
        Assert.Equal(0.3, Ok(new ResourceRequestDto(Cpu: 0.3), new ImageResourceHints(0.1 + 0.2, 0, 0)).Cpu);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(16 * MiB - 1)]
    public void Refuses_too_little_memory(long memory) =>
        Refused(new ResourceRequestDto(MemoryBytes: memory), "memory-invalid", "resources.memoryBytes");

    [Fact]
    public void Sixteen_MiB_of_memory_is_enough() => Assert.Equal(16 * MiB, Ok(new ResourceRequestDto(MemoryBytes: 16 * MiB)).MemoryBytes);

    [Fact]
    public void Refuses_memory_below_the_image_minimum_and_names_it()
    {
        var p = ResourceRules.Resolve(new ResourceRequestDto(MemoryBytes: GiB), new ImageResourceHints(0, 2 * GiB, 0), out _)!;
        Assert.Equal(("memory-below-minimum", "resources.memoryBytes", 400), (p.Rule, p.Field, p.Status));
        Assert.Contains("2 GiB", p.Detail);
    }

    [Fact]
    public void Refuses_negative_shmem() =>
        Refused(new ResourceRequestDto(ShmemBytes: -1), "shmem-invalid", "resources.shmemBytes");

    [Fact]
    public void Zero_shmem_is_allowed() => Assert.Equal(0, Ok(new ResourceRequestDto(ShmemBytes: 0)).ShmemBytes);

    [Theory]
    [InlineData(GiB, GiB)]
    [InlineData(GiB, 2 * GiB)]
    public void Refuses_shmem_not_below_memory(long memory, long shmem)
    {
        var p = ResourceRules.Resolve(new ResourceRequestDto(MemoryBytes: memory, ShmemBytes: shmem), NoHints, out _)!;
        Assert.Equal(("shmem-not-below-memory", "resources.shmemBytes", 400), (p.Rule, p.Field, p.Status));
        Assert.Contains("smaller", p.Detail);
    }

    [Fact]
    public void Asked_shmem_is_compared_with_the_default_memory() =>
        Refused(new ResourceRequestDto(ShmemBytes: GiB), "shmem-not-below-memory", "resources.shmemBytes");

    [Fact]
    public void Asked_shmem_just_below_memory_passes() =>
        Assert.Equal(GiB - 1, Ok(new ResourceRequestDto(MemoryBytes: GiB, ShmemBytes: GiB - 1)).ShmemBytes);

    [Fact]
    public void Cpu_is_checked_before_memory_and_memory_before_shmem()
    {
        Refused(new ResourceRequestDto(0, 1, -1), "cpu-invalid", "resources.cpu");
        Refused(new ResourceRequestDto(1, 1, -1), "memory-invalid", "resources.memoryBytes");
    }

    [Fact]
    public void Pids_limit_default() => Assert.Equal(4096, ResourceRules.PidsLimit);

    [Fact]
    public void A_preset_fills_only_what_the_request_leaves_out_and_never_gpus()
    {
        var preset = new ResourcePresetDto("small", null, 2, 4 * GiB, 128 * MiB);
        Assert.Equal(new ResourceRequestDto(2, 4 * GiB, 128 * MiB), ResourceRules.WithPreset(null, preset));
        Assert.Equal(new ResourceRequestDto(0.5, 4 * GiB, 64 * MiB, 1),
            ResourceRules.WithPreset(new ResourceRequestDto(Cpu: 0.5, ShmemBytes: 64 * MiB, CudaDevices: 1), preset));
        Assert.Null(ResourceRules.WithPreset(null, preset with { ShmemBytes = null }).ShmemBytes);
    }
}
