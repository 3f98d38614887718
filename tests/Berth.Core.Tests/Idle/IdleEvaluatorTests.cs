using Berth.Core.Contracts;
using Berth.Core.Idle;
using Berth.Core.Sessions;

namespace Berth.Core.Tests.Idle;

public class IdleEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Warn = TimeSpan.FromSeconds(5);

    private readonly FakeClock _clock = new(T0);

    private static IdleCheckConfig Config(double? network = null, double? lifetime = null, UtilizationCheckDto? utilization = null, double? maxExtension = null) =>
        IdleConfigRules.Merge(new IdleChecksDto(network, maxExtension, utilization), null, lifetime);

    private static UtilizationCheckDto Util(double grace = 10, double window = 10, double? cpu = 5, double? mem = null, double? cuda = null, string? op = null) =>
        new(null, grace, window, cpu, mem, cuda, op);

    private IdleEvaluation Eval(IdleSessionFacts facts, IdleCheckConfig config, UtilizationWindow? window = null) =>
        IdleEvaluator.Evaluate(facts, config, window, _clock.GetUtcNow(), Warn);

    private static IdleCheckDto Check(IdleEvaluation e, string checker) => e.Checks.Single(c => c.Checker == checker);

    private static IdleSessionFacts Interactive(DateTimeOffset? lastActivity = null, bool gpu = false, bool exempt = false, DateTimeOffset? extendedUntil = null) =>
        new(SessionType.Interactive, T0, gpu, exempt, extendedUntil, lastActivity);

    /// <summary>Feeds one sample per second from <paramref name="from"/> to now (the agent's stats loop).</summary>
    private UtilizationWindow Samples(double cpu, double mem = 50, double? cuda = null, double from = 0, UtilizationWindow? window = null)
    {
        window ??= new UtilizationWindow(TimeSpan.FromMinutes(5));
        for (var t = T0.AddSeconds(from); t <= _clock.GetUtcNow(); t = t.AddSeconds(1)) window.Add(new UtilizationSample(t, cpu, mem, cuda));
        return window;
    }

    [Fact]
    public void Network_timeout_ends_a_session_without_traffic_and_remaining_time_counts_down()
    {
        var config = Config(network: 20);
        _clock.Advance(5);
        Assert.Equal(15, Check(Eval(Interactive(), config), IdleCheckers.Network).RemainingSeconds);
        _clock.Advance(10);
        var at15 = Eval(Interactive(), config);
        Assert.Equal(5, Check(at15, IdleCheckers.Network).RemainingSeconds);
        Assert.Null(at15.TerminationReason);
        Assert.Equal((IdleCheckers.Network, TimeSpan.FromSeconds(5)), at15.Imminent);
        _clock.Advance(5);
        Assert.Equal("idle-timeout", Eval(Interactive(), config).TerminationReason);
    }

    [Fact]
    public void A_deadline_a_few_milliseconds_away_is_not_yet_due_nor_shown_as_zero()
    {
        var config = Config(network: 20, lifetime: 30);
        _clock.Advance(19.96);
        var almost = Eval(Interactive(), config);
        Assert.Null(almost.TerminationReason);
        Assert.Equal(0.1, Check(almost, IdleCheckers.Network).RemainingSeconds);
        _clock.Advance(0.04);
        Assert.Equal("idle-timeout", Eval(Interactive(), config).TerminationReason);
    }

    [Fact]
    public void Traffic_keeps_a_session_alive_past_the_network_timeout()
    {
        var config = Config(network: 20);
        DateTimeOffset? last = null;
        for (var i = 0; i < 20; i++)
        {
            _clock.Advance(3);
            last = _clock.GetUtcNow(); // the terminal sends a keystroke every 3 s
            Assert.Null(Eval(Interactive(last), config).TerminationReason);
        }
        _clock.Advance(19);
        Assert.Null(Eval(Interactive(last), config).TerminationReason);
        _clock.Advance(1);
        Assert.Equal("idle-timeout", Eval(Interactive(last), config).TerminationReason);
    }

    [Fact]
    public void Traffic_before_the_session_started_does_not_shorten_its_timeout()
    {
        _clock.Advance(19);
        var e = Eval(Interactive(lastActivity: T0.AddSeconds(-100)), Config(network: 20));
        Assert.Null(e.TerminationReason);
        Assert.Equal(1, Check(e, IdleCheckers.Network).RemainingSeconds);
    }

    [Fact]
    public void Batch_sessions_are_exempt_from_the_network_timeout()
    {
        _clock.Advance(3600);
        var e = Eval(new IdleSessionFacts(SessionType.Batch, T0), Config(network: 20));
        Assert.Null(e.TerminationReason);
        var network = Check(e, IdleCheckers.Network);
        Assert.False(network.Enabled);
        Assert.Contains("batch", network.Note);
    }

    [Fact]
    public void Lifetime_ends_a_session_that_long_after_it_started_even_with_traffic()
    {
        var config = Config(network: 20, lifetime: 30);
        _clock.Advance(29);
        Assert.Null(Eval(Interactive(_clock.GetUtcNow()), config).TerminationReason);
        Assert.Equal(1, Check(Eval(Interactive(_clock.GetUtcNow()), config), IdleCheckers.Lifetime).RemainingSeconds);
        _clock.Advance(1);
        Assert.Equal("idle-session-lifetime", Eval(Interactive(_clock.GetUtcNow()), config).TerminationReason);
        Assert.Equal("idle-session-lifetime", Eval(new IdleSessionFacts(SessionType.Batch, T0), config).TerminationReason);
    }

    [Fact]
    public void Utilization_never_condemns_before_the_grace_period_ends()
    {
        var config = Config(utilization: Util(grace: 10, window: 10, cpu: 5));
        for (var t = 0; t < 10; t++)
        {
            var e = Eval(Interactive(), config, Samples(cpu: 0));
            Assert.Null(e.TerminationReason);
            var u = Check(e, IdleCheckers.Utilization);
            Assert.Equal(10 - t, u.GraceRemainingSeconds);
            Assert.Equal(20 - t, u.RemainingSeconds);
            _clock.Advance(1);
        }
    }

    [Fact]
    public void An_idle_session_ends_once_a_full_window_after_the_grace_period_is_below_the_threshold()
    {
        var config = Config(utilization: Util(grace: 10, window: 10, cpu: 5));
        var window = new UtilizationWindow(TimeSpan.FromMinutes(1));
        _clock.Advance(15);
        Samples(cpu: 1, window: window);
        var filling = Eval(Interactive(), config, window);
        Assert.Null(filling.TerminationReason); // only 5 s of the window after the grace period
        var u = Check(filling, IdleCheckers.Utilization);
        Assert.Equal(5, u.RemainingSeconds);
        Assert.Equal(0, u.GraceRemainingSeconds);
        Assert.Equal(1, u.Averages!["cpu"]);
        Assert.True(u.Idle);
        Assert.Equal((IdleCheckers.Utilization, TimeSpan.FromSeconds(5)), filling.Imminent);
        _clock.Advance(5);
        Samples(cpu: 1, from: 16, window: window);
        Assert.Equal("idle-utilization", Eval(Interactive(), config, window).TerminationReason);
    }

    [Fact]
    public void A_busy_session_survives_the_utilization_check()
    {
        var config = Config(utilization: Util(grace: 10, window: 10, cpu: 5));
        _clock.Advance(60);
        var e = Eval(Interactive(), config, Samples(cpu: 98));
        Assert.Null(e.TerminationReason);
        Assert.Null(e.Imminent);
        var u = Check(e, IdleCheckers.Utilization);
        Assert.False(u.Idle);
        Assert.Equal(0, u.RemainingSeconds);
        Assert.Equal(98, u.Averages!["cpu"]);
    }

    [Fact]
    public void Low_use_during_the_grace_period_does_not_count_towards_the_window()
    {
        var config = Config(utilization: Util(grace: 10, window: 10, cpu: 5));
        var window = new UtilizationWindow(TimeSpan.FromMinutes(1));
        _clock.Advance(10);
        Samples(cpu: 0, window: window); // idle all through the grace period
        _clock.Advance(9);
        Samples(cpu: 0, from: 11, window: window);
        Assert.Null(Eval(Interactive(), config, window).TerminationReason);
    }

    [Fact]
    public void The_average_is_over_the_window_so_a_short_burst_does_not_outweigh_a_long_idle_stretch()
    {
        var config = Config(utilization: Util(grace: 0, window: 10, cpu: 5));
        var window = new UtilizationWindow(TimeSpan.FromMinutes(1));
        _clock.Advance(30);
        Samples(cpu: 100, window: window);       // busy for 30 s
        _clock.Advance(11);
        Samples(cpu: 0, from: 31, window: window); // then idle for more than the last window
        Assert.Equal("idle-utilization", Eval(Interactive(), config, window).TerminationReason);
    }

    [Fact]
    public void A_window_not_yet_filled_since_the_first_sample_cannot_condemn()
    {
        var config = Config(utilization: Util(grace: 0, window: 10, cpu: 5));
        _clock.Advance(100);
        var window = new UtilizationWindow(TimeSpan.FromMinutes(1));
        window.Add(new UtilizationSample(_clock.GetUtcNow(), 0, 0, null)); // e.g. the manager just restarted
        var e = Eval(Interactive(), config, window);
        Assert.Null(e.TerminationReason);
        Assert.Equal(10, Check(e, IdleCheckers.Utilization).RemainingSeconds);
        Assert.Null(Eval(Interactive(), config, null).TerminationReason); // no samples at all
    }

    [Theory]
    [InlineData("and", 1, 80, false)] // memory used: alive under and
    [InlineData("and", 1, 1, true)]
    [InlineData("or", 1, 80, true)]   // cpu idle is enough under or
    [InlineData("or", 50, 80, false)]
    public void Operator_and_needs_every_resource_idle_or_needs_any(string op, double cpu, double mem, bool ends)
    {
        var config = Config(utilization: Util(grace: 0, window: 10, cpu: 5, mem: 10, op: op));
        _clock.Advance(20);
        var e = Eval(Interactive(), config, Samples(cpu, mem));
        Assert.Equal(ends ? "idle-utilization" : null, e.TerminationReason);
        Assert.Equal(op, Check(e, IdleCheckers.Utilization).Operator);
    }

    [Fact]
    public void Gpu_threshold_is_ignored_for_sessions_without_gpus_and_used_with_them()
    {
        var config = Config(utilization: Util(grace: 0, window: 10, cpu: 5, cuda: 10));
        _clock.Advance(20);
        var noGpu = Eval(Interactive(gpu: false), config, Samples(cpu: 1));
        Assert.Equal("idle-utilization", noGpu.TerminationReason);
        Assert.DoesNotContain("cuda", Check(noGpu, IdleCheckers.Utilization).Thresholds!.Keys);

        var busyGpu = Eval(Interactive(gpu: true), config, Samples(cpu: 1, cuda: 90));
        Assert.Null(busyGpu.TerminationReason); // and: the busy GPU keeps it alive
        Assert.Equal(90, Check(busyGpu, IdleCheckers.Utilization).Averages!["cuda"]);

        var gpuOnly = Config(utilization: Util(grace: 0, window: 10, cpu: null, cuda: 10));
        Assert.False(Check(Eval(Interactive(gpu: false), gpuOnly, Samples(cpu: 0)), IdleCheckers.Utilization).Enabled);
    }

    [Fact]
    public void A_gpu_without_measurements_does_not_vote()
    {
        var config = Config(utilization: Util(grace: 0, window: 10, cpu: 5, cuda: 10));
        _clock.Advance(20);
        Assert.Equal("idle-utilization", Eval(Interactive(gpu: true), config, Samples(cpu: 1, cuda: null)).TerminationReason);
    }

    [Fact]
    public void Exempt_sessions_are_never_ended_but_still_show_their_checks()
    {
        var config = Config(network: 20, lifetime: 30, utilization: Util(grace: 0, window: 10));
        _clock.Advance(1000);
        var e = Eval(Interactive(exempt: true), config, Samples(cpu: 0));
        Assert.Null(e.TerminationReason);
        Assert.Null(e.Imminent);
        Assert.All(e.Checks, c => Assert.True(c.Exempt));
    }

    [Fact]
    public void A_keep_alive_moves_the_network_deadline_but_not_the_lifetime()
    {
        var config = Config(network: 20, lifetime: 100, maxExtension: 60);
        _clock.Advance(10);
        Assert.Null(KeepAliveRules.Check(SessionType.Interactive, config, 60, _clock.GetUtcNow(), out var until));
        _clock.Advance(50);
        var e = Eval(Interactive(extendedUntil: until), config);
        Assert.Null(e.TerminationReason);
        var network = Check(e, IdleCheckers.Network);
        Assert.Equal(10, network.RemainingSeconds);
        Assert.Equal(until, network.ExtendedUntil);
        _clock.Advance(10);
        Assert.Equal("idle-timeout", Eval(Interactive(extendedUntil: until), config).TerminationReason);
        _clock.Advance(40);
        Assert.Equal("idle-session-lifetime", Eval(Interactive(extendedUntil: _clock.GetUtcNow().AddHours(1)), config).TerminationReason);
    }

    [Fact]
    public void The_earliest_lapsed_checker_in_order_lifetime_network_utilization_names_the_reason()
    {
        var config = Config(network: 20, lifetime: 30, utilization: Util(grace: 0, window: 10));
        _clock.Advance(40);
        Assert.Equal("idle-session-lifetime", Eval(Interactive(), config, Samples(cpu: 0)).TerminationReason);
    }
}
