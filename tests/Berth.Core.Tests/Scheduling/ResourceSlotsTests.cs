using Berth.Core.Scheduling;
using Berth.Core.Sessions;

namespace Berth.Core.Tests.Scheduling;

public class ResourceSlotsTests
{
    private static ResourceSlots S(string text) => ResourceSlots.Parse(text);

    [Fact]
    public void Adds_and_subtracts_per_slot_with_missing_slots_as_zero()
    {
        Assert.Equal(S("cpu=3 mem=6g cuda.device=1"), S("cpu=1 mem=2g") + S("cpu=2 mem=4g cuda.device=1"));
        var diff = S("cpu=2 mem=2g") - S("cpu=0.5 mem=1g cuda.device=1");
        Assert.Equal(ResourceSlots.Of(("cpu", 1.5m), ("mem", 1L << 30), ("cuda.device", -1m)), diff);
        Assert.Equal("cpu=1.5 mem=1g cuda.device=-1", diff.Format());
        Assert.Equal(S("cpu=2"), S("cpu=2") + ResourceSlots.Zero);
        Assert.Equal(S("cpu=2"), default(ResourceSlots) + S("cpu=2"));
    }

    [Fact]
    public void Decimal_cpu_arithmetic_is_exact()
    {
        var sum = ResourceSlots.Zero;
        for (var i = 0; i < 10; i++) sum += S("cpu=0.1");
        Assert.Equal(1m, sum.CpuCores);
        Assert.True(S("cpu=0.3").FitsIn(sum - S("cpu=0.7")));
    }

    [Fact]
    public void Equality_treats_missing_and_zero_alike()
    {
        Assert.Equal(S("cpu=1"), S("cpu=1 cuda.device=0"));
        Assert.Equal(S("cpu=1").GetHashCode(), S("cpu=1.00 cuda.device=0").GetHashCode());
        Assert.True(S("cpu=1") == S("cpu=1.0"));
        Assert.NotEqual(S("cpu=1"), S("cpu=1 cuda.device=1"));
        Assert.Equal(ResourceSlots.Zero, S("none"));
        Assert.Equal(ResourceSlots.Zero, S("cpu=0 mem=0"));
    }

    [Fact]
    public void Zero_detection()
    {
        Assert.True(ResourceSlots.Zero.IsZero);
        Assert.True(default(ResourceSlots).IsZero);
        Assert.True(S("cpu=0 mem=0").IsZero);
        Assert.False(S("cuda.device=1").IsZero);
        Assert.True((S("cpu=2 mem=1g") - S("cpu=2 mem=1g")).IsZero);
    }

    [Fact]
    public void FitsIn_compares_every_slot_and_missing_capacity_is_zero()
    {
        var cap = S("cpu=4 mem=8g");
        Assert.True(S("cpu=4 mem=8g").FitsIn(cap));
        Assert.True(S("cpu=1").FitsIn(cap));
        Assert.True(ResourceSlots.Zero.FitsIn(cap));
        Assert.False(S("cpu=4.01").FitsIn(cap));
        Assert.False(S("cpu=1 mem=9g").FitsIn(cap));
        Assert.False(S("cpu=1 cuda.device=1").FitsIn(cap));
        Assert.True(S("cpu=1 cuda.device=0").FitsIn(cap));
    }

    [Fact]
    public void SlotsOver_names_the_slots_that_do_not_fit_and_can_leave_unnamed_slots_unlimited()
    {
        var limit = S("cpu=4 mem=8g");
        Assert.Equal(["mem", "cuda.device"], S("cpu=2 mem=9g cuda.device=2").SlotsOver(limit));
        Assert.Equal(["mem"], S("cpu=2 mem=9g cuda.device=2").SlotsOver(limit, unnamedIsUnlimited: true));
        Assert.Equal(["cuda.device"], S("cuda.device=1").SlotsOver(S("cpu=4 cuda.device=0"), unnamedIsUnlimited: true));
    }

    [Fact]
    public void Max_and_min_per_slot()
    {
        Assert.Equal(S("cpu=4 mem=8g cuda.device=1"), ResourceSlots.Max(S("cpu=4 mem=2g"), S("cpu=1 mem=8g cuda.device=1")));
        Assert.Equal(S("cpu=1 mem=2g"), ResourceSlots.Min(S("cpu=4 mem=2g"), S("cpu=1 mem=8g cuda.device=1")));
    }

    [Fact]
    public void Dominant_share_is_the_largest_used_over_total_ignoring_zero_totals()
    {
        var total = S("cpu=10 mem=100g cuda.device=0");
        Assert.Equal(0.5m, S("cpu=2 mem=50g").DominantShare(total));
        Assert.Equal(0.3m, S("cpu=3 mem=10g").DominantShare(total));
        Assert.Equal(0.1m, S("cpu=1 cuda.device=4 tpu=3").DominantShare(total));
        Assert.Equal(0m, ResourceSlots.Zero.DominantShare(total));
        Assert.Equal(0m, S("cpu=1").DominantShare(ResourceSlots.Zero));
    }

    [Theory]
    [InlineData("cpu=2 mem=4g cuda.device=1", "cpu=2 mem=4g cuda.device=1")]
    [InlineData("cuda.device=1 mem=4294967296 cpu=2", "cpu=2 mem=4g cuda.device=1")]
    [InlineData("cpu=0.5,mem=1.5g", "cpu=0.5 mem=1.5g")]
    [InlineData("CPU=1 mem=512MiB", "cpu=1 mem=512m")]
    [InlineData("mem=1000", "mem=1000")]
    [InlineData("mem=1025m", "mem=1025m")]
    [InlineData("mem=1536k", "mem=1.5m")]
    [InlineData("cpu=2.50 tpu=1 mem=0", "cpu=2.5 mem=0 tpu=1")]
    [InlineData("", "none")]
    [InlineData("  none ", "none")]
    public void Parses_and_formats(string text, string formatted)
    {
        var slots = S(text);
        Assert.Equal(formatted, slots.Format());
        Assert.Equal(formatted, slots.ToString());
        Assert.Equal(slots, S(slots.Format()));
    }

    [Fact]
    public void Formatting_of_odd_byte_amounts_still_reads_back_exactly()
    {
        var slots = ResourceSlots.Of(("mem", 1073741825m));
        Assert.Equal("mem=1073741825", slots.Format());
        var mixed = ResourceSlots.Of(("mem", 1610612736m + 10485760m)); // 1.5g + 10m
        Assert.Equal(mixed, S(mixed.Format()));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cpu=")]
    [InlineData("=2")]
    [InlineData("cpu=-1")]
    [InlineData("cpu=two")]
    [InlineData("mem=4q")]
    [InlineData("cpu=1 cpu=2")]
    [InlineData("9cpu=1")]
    [InlineData("cu da=1")]
    public void Refuses_malformed_text_with_a_reason(string text)
    {
        Assert.False(ResourceSlots.TryParse(text, out var slots, out var error));
        Assert.Equal(ResourceSlots.Zero, slots);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Throws<FormatException>(() => ResourceSlots.Parse(text));
    }

    [Fact]
    public void Session_factory_keeps_shmem_inside_memory()
    {
        var slots = ResourceSlots.ForSession(2, 4L << 30, 64L << 20);
        Assert.Equal(S("cpu=2 mem=4g"), slots);
        Assert.Equal(["cpu", "mem"], slots.Names);
        Assert.Equal(S("cpu=0.5 mem=1g cuda.device=2"), ResourceSlots.ForSession(0.5, 1L << 30, cudaDevices: 2));
        Assert.Equal(S("cpu=1 mem=1g"), ResourceSlots.ForSession(new ResolvedResources(1, 1L << 30, 64L << 20)));
        Assert.Equal(0.1m, ResourceSlots.ForSession(0.1, 1).CpuCores);
        Assert.Throws<ArgumentOutOfRangeException>(() => ResourceSlots.ForSession(1, 1L << 20, 2L << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResourceSlots.ForSession(-1, 1L << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResourceSlots.ForSession(double.NaN, 1L << 20));
    }

    [Fact]
    public void Indexer_and_well_known_accessors()
    {
        var slots = S("cpu=2 mem=4g cuda.device=1");
        Assert.Equal(2m, slots[ResourceSlots.Cpu]);
        Assert.Equal(4m * (1L << 30), slots.MemoryBytes);
        Assert.Equal(1m, slots.CudaDevices);
        Assert.Equal(0m, slots["tpu"]);
        Assert.True(slots.Has("cpu"));
        Assert.False(slots.Has("tpu"));
    }

    [Fact]
    public void Constructor_copies_and_checks_names()
    {
        var source = new Dictionary<string, decimal> { ["cpu"] = 1 };
        var slots = new ResourceSlots(source);
        source["cpu"] = 5;
        Assert.Equal(1m, slots.CpuCores);
        Assert.Throws<ArgumentException>(() => new ResourceSlots(new Dictionary<string, decimal> { ["CPU"] = 1 }));
    }

    [Theory]
    [InlineData("fifo", QueueOrder.Fifo)]
    [InlineData(" LIFO ", QueueOrder.Lifo)]
    [InlineData("drf", QueueOrder.Drf)]
    public void Queue_order_wire_names(string text, QueueOrder expected)
    {
        Assert.True(SchedulingWire.TryParseQueueOrder(text, out var order));
        Assert.Equal(expected, order);
        Assert.Equal(text.Trim().ToLowerInvariant(), order.ToWire());
    }

    [Theory]
    [InlineData("dispersed", AgentSelection.Dispersed)]
    [InlineData("Concentrated", AgentSelection.Concentrated)]
    [InlineData("roundrobin", AgentSelection.RoundRobin)]
    public void Agent_selection_wire_names(string text, AgentSelection expected)
    {
        Assert.True(SchedulingWire.TryParseAgentSelection(text, out var selection));
        Assert.Equal(expected, selection);
        Assert.Equal(text.ToLowerInvariant(), selection.ToWire());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("random")]
    [InlineData("round-robin")]
    public void Unknown_policy_names_are_refused(string? text)
    {
        Assert.False(SchedulingWire.TryParseQueueOrder(text, out _));
        Assert.False(SchedulingWire.TryParseAgentSelection(text, out _));
    }
}
