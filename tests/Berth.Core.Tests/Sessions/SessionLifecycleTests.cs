using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class SessionLifecycleTests
{
    [Theory]
    [InlineData(SessionStatus.Pending, "PENDING")]
    [InlineData(SessionStatus.Scheduled, "SCHEDULED")]
    [InlineData(SessionStatus.Preparing, "PREPARING")]
    [InlineData(SessionStatus.Creating, "CREATING")]
    [InlineData(SessionStatus.Running, "RUNNING")]
    [InlineData(SessionStatus.Terminating, "TERMINATING")]
    [InlineData(SessionStatus.Terminated, "TERMINATED")]
    [InlineData(SessionStatus.Cancelled, "CANCELLED")]
    [InlineData(SessionStatus.Error, "ERROR")]
    public void Status_wire_names_are_uppercase_and_round_trip(SessionStatus status, string wire)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.True(SessionWire.TryParseStatus(wire, out var back));
        Assert.Equal(status, back);
        Assert.True(SessionWire.TryParseStatus(wire.ToLowerInvariant(), out back));
        Assert.Equal(status, back);
    }

    [Theory]
    [InlineData("RUN")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_status_is_not_parsed(string? text) => Assert.False(SessionWire.TryParseStatus(text, out _));

    [Theory]
    [InlineData("interactive", SessionType.Interactive)]
    [InlineData("batch", SessionType.Batch)]
    [InlineData(" Batch ", SessionType.Batch)]
    [InlineData("INTERACTIVE", SessionType.Interactive)]
    public void Types_parse(string text, SessionType expected)
    {
        Assert.True(SessionWire.TryParseType(text, out var type));
        Assert.Equal(expected, type);
        Assert.Equal(text.Trim().ToLowerInvariant(), type.ToWire());
    }

    [Theory]
    [InlineData("inference")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_types_do_not_parse(string? text) => Assert.False(SessionWire.TryParseType(text, out _));

    [Theory]
    [InlineData(null, SessionType.Interactive)]
    [InlineData("", SessionType.Interactive)]
    [InlineData("batch", SessionType.Batch)]
    public void CheckType_defaults_to_interactive(string? text, SessionType expected)
    {
        Assert.Null(SessionWire.CheckType(text, out var type));
        Assert.Equal(expected, type);
    }

    [Fact]
    public void CheckType_refuses_unknown_types()
    {
        var p = SessionWire.CheckType("inference", out _);
        Assert.NotNull(p);
        Assert.Equal(("type-invalid", "type", 400), (p.Rule, p.Field, p.Status));
        Assert.Contains("interactive", p.Detail);
        Assert.Contains("batch", p.Detail);
    }

    [Theory]
    [InlineData(SessionStatus.Pending, true)]
    [InlineData(SessionStatus.Scheduled, true)]
    [InlineData(SessionStatus.Preparing, true)]
    [InlineData(SessionStatus.Creating, true)]
    [InlineData(SessionStatus.Running, true)]
    [InlineData(SessionStatus.Terminating, true)]
    [InlineData(SessionStatus.Terminated, false)]
    [InlineData(SessionStatus.Cancelled, false)]
    [InlineData(SessionStatus.Error, false)]
    public void Live_and_terminal(SessionStatus status, bool live)
    {
        Assert.Equal(live, SessionLifecycle.IsLive(status));
        Assert.Equal(!live, SessionLifecycle.IsTerminal(status));
    }

    // The whole table: every pair not listed here must be refused.
    private static readonly HashSet<(SessionStatus, SessionStatus)> Allowed =
    [
        (SessionStatus.Pending, SessionStatus.Scheduled),
        (SessionStatus.Pending, SessionStatus.Cancelled),
        (SessionStatus.Pending, SessionStatus.Terminating),
        (SessionStatus.Scheduled, SessionStatus.Preparing),
        (SessionStatus.Scheduled, SessionStatus.Cancelled),
        (SessionStatus.Scheduled, SessionStatus.Terminating),
        (SessionStatus.Preparing, SessionStatus.Creating),
        (SessionStatus.Preparing, SessionStatus.Cancelled),
        (SessionStatus.Preparing, SessionStatus.Error),
        (SessionStatus.Preparing, SessionStatus.Terminating),
        (SessionStatus.Creating, SessionStatus.Running),
        (SessionStatus.Creating, SessionStatus.Cancelled),
        (SessionStatus.Creating, SessionStatus.Error),
        (SessionStatus.Creating, SessionStatus.Terminating),
        (SessionStatus.Running, SessionStatus.Terminating),
        (SessionStatus.Running, SessionStatus.Error),
        (SessionStatus.Terminating, SessionStatus.Terminated),
    ];

    public static TheoryData<SessionStatus, SessionStatus> AllPairs()
    {
        var data = new TheoryData<SessionStatus, SessionStatus>();
        foreach (var from in Enum.GetValues<SessionStatus>())
            foreach (var to in Enum.GetValues<SessionStatus>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Transition_table(SessionStatus from, SessionStatus to)
    {
        var allowed = Allowed.Contains((from, to));
        Assert.Equal(allowed, SessionLifecycle.CanTransition(from, to));
        var problem = SessionLifecycle.CheckTransition(from, to);
        if (allowed)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.NotNull(problem);
            Assert.Equal(("session-status", "status", 409), (problem.Rule, problem.Field, problem.Status));
        }
    }

    [Fact]
    public void Refusal_from_a_terminal_status_says_the_session_ended()
    {
        var p = SessionLifecycle.CheckTransition(SessionStatus.Terminated, SessionStatus.Terminating)!;
        Assert.Contains("already ended", p.Detail);
        Assert.Contains("TERMINATED", p.Detail);
    }

    [Fact]
    public void Refusal_names_both_statuses()
    {
        var p = SessionLifecycle.CheckTransition(SessionStatus.Running, SessionStatus.Pending)!;
        Assert.Contains("RUNNING", p.Detail);
        Assert.Contains("PENDING", p.Detail);
    }

    [Fact]
    public void Reasons_are_kebab_case_and_take_a_suffix()
    {
        Assert.Equal("user-requested", SessionReasons.UserRequested);
        Assert.Equal("batch-exited", SessionReasons.BatchExited);
        Assert.Equal("failed-to-start", SessionReasons.FailedToStart);
        Assert.Equal("oom-killed", SessionReasons.OomKilled);
        Assert.Equal("agent-lost", SessionReasons.AgentLost);
        Assert.Equal("container-vanished", SessionReasons.ContainerVanished);
        Assert.Equal("adopted", SessionReasons.Adopted);
        Assert.Equal("failed-to-start: image not found", SessionReasons.With(SessionReasons.FailedToStart, " image not found "));
        Assert.Equal("failed-to-start", SessionReasons.With(SessionReasons.FailedToStart, null));
        Assert.Equal("failed-to-start", SessionReasons.With(SessionReasons.FailedToStart, "  "));
        Assert.Equal("failed-to-start", SessionReasons.Base("failed-to-start: image not found"));
        Assert.Equal("oom-killed", SessionReasons.Base("oom-killed"));
        Assert.Null(SessionReasons.Base(null));
    }
}
