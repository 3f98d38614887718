using Berth.Core.Scheduling;
using Berth.Core.Sessions;
using static Berth.Core.Tests.Scheduling.Fx;

namespace Berth.Core.Tests.Scheduling;

public class PredicatesTests
{
    private static readonly GroupRules Both = GroupRules.Default;
    private static readonly GroupRules InteractiveOnly = new(QueueOrder.Fifo, AgentSelection.Dispersed, new HashSet<SessionType> { SessionType.Interactive });

    private static PredicateFailure Single(IReadOnlyList<PredicateFailure> failures, string name)
    {
        var f = Assert.Single(failures);
        Assert.Equal(name, f.Name);
        Assert.False(string.IsNullOrWhiteSpace(f.Message));
        return f;
    }

    [Fact]
    public void A_plain_session_with_no_limits_passes()
    {
        Assert.Empty(Predicates.Check(Session(1), Usage(1, live: 50, occupied: "cpu=100"), UserPolicy.Unlimited, Both, T0));
    }

    [Fact]
    public void Starts_at_in_the_future_waits_and_says_when()
    {
        var f = Single(Predicates.Check(Session(1, type: SessionType.Batch, startsAt: T0.AddSeconds(12)), Usage(1), UserPolicy.Unlimited, Both, T0), "starts-at");
        Assert.Equal("scheduled to start at 2025-03-01 12:00:12 UTC (in 12 s)", f.Message);
        Assert.False(f.Permanent);
    }

    [Fact]
    public void Starts_at_reached_or_past_passes()
    {
        Assert.Empty(Predicates.Check(Session(1, startsAt: T0), Usage(1), UserPolicy.Unlimited, Both, T0));
        Assert.Empty(Predicates.Check(Session(1, startsAt: T0.AddHours(-1)), Usage(1), UserPolicy.Unlimited, Both, T0));
    }

    [Theory]
    [InlineData(0.2, "1 s")]
    [InlineData(59, "59 s")]
    [InlineData(60, "1 min")]
    [InlineData(125, "2 min 5 s")]
    [InlineData(9000, "2 h 30 min")]
    [InlineData(3 * 86400 + 4 * 3600 + 59, "3 d 4 h")]
    public void Durations_read_naturally(double seconds, string expected) =>
        Assert.Equal(expected, Predicates.FormatDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_session_type_the_group_does_not_take_is_refused_for_good()
    {
        var f = Single(Predicates.Check(Session(1, type: SessionType.Batch), Usage(1), UserPolicy.Unlimited, InteractiveOnly, T0), "session-type");
        Assert.Equal("batch sessions are not allowed in this resource group (it takes interactive sessions only)", f.Message);
        Assert.True(f.Permanent);
        Assert.Empty(Predicates.Check(Session(1), Usage(1), UserPolicy.Unlimited, InteractiveOnly, T0));
    }

    [Fact]
    public void Concurrency_limit_counts_live_sessions()
    {
        var policy = UserPolicy.Unlimited with { MaxConcurrentSessions = 3 };
        var f = Single(Predicates.Check(Session(1), Usage(1, live: 3), policy, Both, T0), "concurrency");
        Assert.Equal("you already run 3 of the 3 sessions your policy allows", f.Message);
        Assert.False(f.Permanent);
        Assert.Empty(Predicates.Check(Session(1), Usage(1, live: 2, pending: 10), policy, Both, T0));
        Assert.Equal("you already run 1 of the 1 session your policy allows",
            Single(Predicates.Check(Session(1), Usage(1, live: 1), policy with { MaxConcurrentSessions = 1 }, Both, T0), "concurrency").Message);
    }

    [Fact]
    public void User_slots_limit_adds_the_request_to_what_the_user_holds()
    {
        var policy = UserPolicy.Unlimited with { MaxTotalSlots = S("cpu=4 mem=16g") };
        var f = Single(Predicates.Check(Session(1, req: "cpu=2 mem=2g"), Usage(1, live: 2, occupied: "cpu=3 mem=6g"), policy, Both, T0), "user-slots");
        Assert.Equal("it would bring your usage to cpu=5 mem=8g, over your policy's cpu=4 mem=16g (too much cpu)", f.Message);
        Assert.False(f.Permanent);
        Assert.Empty(Predicates.Check(Session(1, req: "cpu=1 mem=2g"), Usage(1, live: 2, occupied: "cpu=3 mem=6g"), policy, Both, T0));
    }

    [Fact]
    public void User_slots_limit_leaves_unnamed_slots_unlimited_but_a_named_zero_forbids()
    {
        var policy = UserPolicy.Unlimited with { MaxTotalSlots = S("cpu=4") };
        Assert.Empty(Predicates.Check(Session(1, req: "cpu=1 mem=64g cuda.device=8"), Usage(1), policy, Both, T0));
        var noGpu = UserPolicy.Unlimited with { MaxTotalSlots = S("cpu=4 cuda.device=0") };
        var f = Single(Predicates.Check(Session(1, req: "cpu=1 cuda.device=1"), Usage(1), noGpu, Both, T0), "user-slots");
        Assert.Equal("the session alone asks for cuda.device=1, more than your policy's total of cuda.device=0", f.Message);
        Assert.True(f.Permanent);
    }

    [Fact]
    public void Containers_per_session_limit()
    {
        var policy = UserPolicy.Unlimited with { MaxContainersPerSession = 2 };
        var f = Single(Predicates.Check(Session(1, containers: 4), Usage(1), policy, Both, T0), "containers-per-session");
        Assert.Equal("the session has 4 containers but your policy allows at most 2 per session", f.Message);
        Assert.True(f.Permanent);
        Assert.Empty(Predicates.Check(Session(1, containers: 2), Usage(1), policy, Both, T0));
    }

    [Fact]
    public void Every_broken_rule_is_reported_in_a_fixed_order()
    {
        var policy = new UserPolicy(1, S("cpu=1"), null, 1);
        var failures = Predicates.Check(
            Session(1, req: "cpu=1", type: SessionType.Batch, containers: 2, startsAt: T0.AddMinutes(5)),
            Usage(1, live: 1, occupied: "cpu=1"), policy, InteractiveOnly, T0);
        Assert.Equal(["starts-at", "session-type", "containers-per-session", "concurrency", "user-slots"], failures.Select(f => f.Name));
    }

    [Fact]
    public void Queueing_stops_at_the_pending_limit_with_a_429()
    {
        var policy = UserPolicy.Unlimited with { MaxPendingSessions = 5 };
        Assert.Null(Predicates.CheckCanQueue(Usage(1, pending: 4), policy));
        Assert.Null(Predicates.CheckCanQueue(Usage(1, pending: 400), UserPolicy.Unlimited));
        var p = Predicates.CheckCanQueue(Usage(1, live: 9, pending: 5), policy)!;
        Assert.Equal((429, "too-many-pending-sessions"), (p.Status, p.Rule));
        Assert.Equal("You already have 5 of the 5 pending sessions your policy allows; wait for one to start or cancel one.", p.Detail);
        Assert.Contains("no pending sessions", Predicates.CheckCanQueue(Usage(1), policy with { MaxPendingSessions = 0 })!.Detail);
    }
}
