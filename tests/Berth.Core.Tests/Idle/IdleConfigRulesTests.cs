using Berth.Core.Contracts;
using Berth.Core.Idle;
using Berth.Core.Sessions;

namespace Berth.Core.Tests.Idle;

public class IdleConfigRulesTests
{
    [Theory]
    [InlineData(-1.0, null, null, null, null, "idleChecks.networkTimeoutSeconds", "idle-timeout-invalid")]
    [InlineData(null, -1.0, null, null, null, "idleChecks.utilization.gracePeriodSeconds", "idle-grace-invalid")]
    [InlineData(null, null, 0.0, null, null, "idleChecks.utilization.timeWindowSeconds", "idle-window-invalid")]
    [InlineData(null, null, null, 101.0, null, "idleChecks.utilization.cpu", "idle-threshold-invalid")]
    [InlineData(null, null, null, -0.5, null, "idleChecks.utilization.cpu", "idle-threshold-invalid")]
    [InlineData(null, null, null, null, "xor", "idleChecks.utilization.operator", "idle-operator-invalid")]
    public void Bad_settings_name_the_field_and_rule(double? timeout, double? grace, double? window, double? cpu, string? op, string field, string rule)
    {
        var problem = IdleConfigRules.Check(new IdleChecksDto(timeout, null, new UtilizationCheckDto(null, grace, window, cpu, null, null, op)));
        Assert.NotNull(problem);
        Assert.Equal(field, problem.Field);
        Assert.Equal(rule, problem.Rule);
        Assert.Equal(400, problem.Status);
    }

    [Fact]
    public void Good_settings_pass_including_zero_and_hundred()
    {
        Assert.Null(IdleConfigRules.Check(null));
        Assert.Null(IdleConfigRules.Check(new IdleChecksDto(0, 0, new UtilizationCheckDto(true, 0, 1, 0, 100, 50, "OR"))));
        Assert.NotNull(IdleConfigRules.Check(new IdleChecksDto(MaxIdleExtensionSeconds: -1)));
    }

    [Fact]
    public void The_policy_overrides_field_by_field_what_the_group_sets()
    {
        var group = new IdleChecksDto(600, null, new UtilizationCheckDto(null, 300, 600, 5, 10, null, "and"));
        var policy = new IdleChecksDto(20, 120, new UtilizationCheckDto(null, 10, null, 2, null, null, "or"));
        var merged = IdleConfigRules.Merge(group, policy, 3600);
        Assert.Equal(TimeSpan.FromSeconds(20), merged.NetworkTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), merged.MaxExtension);
        Assert.Equal(TimeSpan.FromHours(1), merged.Lifetime);
        Assert.Equal(new UtilizationCheck(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(600), 2, 10, null, ThresholdOperator.Or), merged.Utilization);
    }

    [Fact]
    public void Without_a_policy_the_group_defaults_apply_and_extension_defaults_to_the_timeout()
    {
        var merged = IdleConfigRules.Merge(new IdleChecksDto(20, null, new UtilizationCheckDto(Cpu: 5)), null, null);
        Assert.Equal(TimeSpan.FromSeconds(20), merged.NetworkTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), merged.MaxExtension);
        Assert.Null(merged.Lifetime);
        Assert.Equal(IdleConfigRules.DefaultWindow, merged.Utilization!.Window);
        Assert.Equal(TimeSpan.Zero, merged.Utilization.Grace);
        Assert.Equal(ThresholdOperator.And, merged.Utilization.Operator);
    }

    [Fact]
    public void A_policy_can_switch_off_what_the_group_turns_on()
    {
        var group = new IdleChecksDto(20, null, new UtilizationCheckDto(Cpu: 5));
        var merged = IdleConfigRules.Merge(group, new IdleChecksDto(0, null, new UtilizationCheckDto(Enabled: false)), null);
        Assert.Equal(IdleCheckConfig.Off, merged);
        Assert.Equal(IdleCheckConfig.Off, IdleConfigRules.Merge(null, null, null));
        Assert.Null(IdleConfigRules.Merge(new IdleChecksDto(Utilization: new UtilizationCheckDto(true, 10, 10)), null, null).Utilization); // no threshold
    }

    [Fact]
    public void Keep_alive_is_refused_for_batch_without_a_timeout_and_beyond_the_maximum()
    {
        var now = DateTimeOffset.UnixEpoch;
        var config = IdleConfigRules.Merge(new IdleChecksDto(20, 60), null, null);
        Assert.Equal("keep-alive-interactive-only", KeepAliveRules.Check(SessionType.Batch, config, null, now, out _)!.Rule);
        Assert.Equal("idle-timeout-off", KeepAliveRules.Check(SessionType.Interactive, IdleCheckConfig.Off, null, now, out _)!.Rule);
        Assert.Equal("keep-alive-too-long", KeepAliveRules.Check(SessionType.Interactive, config, 61, now, out _)!.Rule);
        Assert.Equal("keep-alive-seconds-invalid", KeepAliveRules.Check(SessionType.Interactive, config, 0, now, out _)!.Rule);
        Assert.Null(KeepAliveRules.Check(SessionType.Interactive, config, null, now, out var until));
        Assert.Equal(now.AddSeconds(20), until);
        Assert.Null(KeepAliveRules.Check(SessionType.Interactive, config, 60, now, out until));
        Assert.Equal(now.AddSeconds(60), until);
    }

    [Fact]
    public void The_window_keeps_samples_only_as_long_as_needed_and_in_time_order()
    {
        var t = DateTimeOffset.UnixEpoch;
        var w = new UtilizationWindow(TimeSpan.FromSeconds(10));
        for (var i = 0; i <= 30; i++) w.Add(new UtilizationSample(t.AddSeconds(i), i, 0, null));
        w.Add(new UtilizationSample(t.AddSeconds(25.5), 99, 0, null)); // late arrival
        Assert.Equal(t, w.FirstSampleAt);
        Assert.Equal(t.AddSeconds(20), w.Samples[0].At);
        Assert.Equal(w.Samples.OrderBy(s => s.At), w.Samples);
        Assert.Equal(5, w.Since(t.AddSeconds(26)).Count);
    }
}
