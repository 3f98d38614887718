using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Images;
using Berth.Core.Scheduling;
using Berth.Core.Validation;

namespace Berth.Core.Tests.Validation;

public class ImageReferenceRulesTests
{
    [Theory]
    [InlineData("berth/python:latest")]
    [InlineData("minimal")]
    [InlineData("localhost:5000/team/app:v1.2")]
    [InlineData("registry.example.com/a_b/c-d__e:TAG_1")]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Docker_references_pass(string reference) => Assert.Null(ImageReferenceRules.Check(reference));

    [Theory]
    [InlineData("/etc/passwd", "reference-invalid")]
    [InlineData("UPPER", "reference-invalid")]
    [InlineData("a\0b", "reference-invalid")]
    [InlineData("name:", "reference-invalid")]
    [InlineData("a//b", "reference-invalid")]
    [InlineData(" ", "required")]
    [InlineData(null, "required")]
    public void Other_text_is_refused_before_the_engine_is_asked(string? reference, string rule)
    {
        var p = ImageReferenceRules.Check(reference);
        Assert.Equal(("reference", rule), (p?.Field, p?.Rule));
    }

    [Fact]
    public void An_overlong_reference_is_refused_without_echoing_it()
    {
        var p = ImageReferenceRules.Check(new string('a', 10_000));
        Assert.Equal("reference-too-long", p?.Rule);
        Assert.True(p!.Detail.Length < 120);
    }
}

public class PresetRulesTests
{
    [Theory]
    [InlineData(1e30)]
    [InlineData(1e20)]
    [InlineData(256.01)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.001)]
    public void Cpu_is_bounded_as_a_session_request_is(double cpu)
    {
        var p = PresetRules.Check(new SaveResourcePresetRequest("small", Cpu: cpu, MemoryBytes: 1L << 30));
        Assert.Equal(("cpu", "cpu-invalid"), (p?.Field, p?.Rule));
    }

    [Fact]
    public void A_sensible_preset_passes_and_missing_fields_are_named()
    {
        Assert.Null(PresetRules.Check(new SaveResourcePresetRequest("small", Cpu: 256, MemoryBytes: 1L << 30, ShmemBytes: 64L << 20)));
        Assert.Equal("cpu", PresetRules.Check(new SaveResourcePresetRequest("small", MemoryBytes: 1L << 30))?.Field);
        Assert.Equal("memoryBytes", PresetRules.Check(new SaveResourcePresetRequest("small", Cpu: 1))?.Field);
        Assert.Equal("memoryBytes", PresetRules.Check(new SaveResourcePresetRequest("small", Cpu: 1, MemoryBytes: 1))?.Field);
        Assert.Equal("shmemBytes", PresetRules.Check(new SaveResourcePresetRequest("small", Cpu: 1, MemoryBytes: 1L << 30, ShmemBytes: 1L << 30))?.Field);
    }
}

public class AgentRequestRulesTests
{
    private static AgentHeartbeat Beat(string? group = "default", string? arch = "x64", string? version = "1.0.0", string? url = null,
        Dictionary<string, decimal>? capacity = null) =>
        new("agent-1", group!, arch!, version!, capacity ?? new Dictionary<string, decimal> { ["cpu"] = 4 }, url, []);

    [Fact]
    public void A_heartbeat_names_every_field_it_lacks()
    {
        Assert.Equal("resourceGroup", AgentRequestRules.CheckHeartbeat(Beat(group: null))?.Field);
        Assert.Equal("architecture", AgentRequestRules.CheckHeartbeat(Beat(arch: " "))?.Field);
        Assert.Equal("version", AgentRequestRules.CheckHeartbeat(Beat(version: null))?.Field);
        Assert.Equal("required", AgentRequestRules.CheckHeartbeat(Beat(version: null))?.Rule);
        Assert.Equal("agentId", AgentRequestRules.CheckHeartbeat(Beat() with { AgentId = null! })?.Field);
    }

    [Fact]
    public void A_heartbeat_without_a_control_url_is_valid_and_a_bad_url_is_not()
    {
        Assert.Null(AgentRequestRules.CheckHeartbeat(Beat(url: null)));
        Assert.Null(AgentRequestRules.CheckHeartbeat(Beat(url: "http://127.0.0.1:6011/")));
        Assert.Equal("control-url-invalid", AgentRequestRules.CheckHeartbeat(Beat(url: "file:///etc/passwd"))?.Rule);
        Assert.Equal("control-url-invalid", AgentRequestRules.CheckHeartbeat(Beat(url: "http://user:pw@127.0.0.1/"))?.Rule);
    }

    [Fact]
    public void Capacity_slots_are_names_the_scheduler_can_read_and_amounts_in_range()
    {
        Assert.Equal("slot-name-invalid", AgentRequestRules.CheckHeartbeat(Beat(capacity: new() { ["CPU!"] = 1 }))?.Rule);
        Assert.Equal("capacity.cpu", AgentRequestRules.CheckHeartbeat(Beat(capacity: new() { ["cpu"] = -1 }))?.Field);
        Assert.Equal("capacity.mem", AgentRequestRules.CheckHeartbeat(Beat(capacity: new() { ["mem"] = 1e20m }))?.Field);
    }

    [Fact]
    public void Stats_are_finite_percentages()
    {
        var bad = new AgentStatsRequest("agent-1", [new KernelStatsSample(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UnixEpoch, -5, 10)]);
        Assert.Equal("samples[0]", AgentRequestRules.CheckStats(bad)?.Field);
    }
}

public class DurationRulesTests
{
    [Theory]
    [InlineData(1e300)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(double.PositiveInfinity)]
    public void Durations_have_a_floor_and_a_ceiling(double seconds) =>
        Assert.Equal("batchTimeoutSeconds", DurationRules.CheckSeconds(seconds, "batchTimeoutSeconds")?.Field);

    [Fact]
    public void Ordinary_durations_pass_and_so_does_none()
    {
        Assert.Null(DurationRules.CheckSeconds(30, "x"));
        Assert.Null(DurationRules.CheckSeconds(null, "x"));
        Assert.Null(DurationRules.CheckSeconds(0, "x", allowZero: true));
        Assert.NotNull(DurationRules.CheckSeconds(DurationRules.MaxSeconds * 2, "x", allowZero: true));
        _ = DateTime.UtcNow.AddSeconds(DurationRules.MaxSeconds); // the ceiling itself never overflows a date
    }
}
